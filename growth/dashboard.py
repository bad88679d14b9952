"""The growth dashboard's numbers and its executive summary, computed by explicit rules.

Every figure comes from the database: signups from accounts, activation from the event log (a
`video.created` event within 7 days of joining), Pro conversion from billing's subscriptions
(through billing's selector: a live subscription to a paid plan, never a plan name).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, DateTimeField, Exists, ExpressionWrapper, OuterRef, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.selectors import paying_subscriber_count
from growth.analysis import ExperimentResult, Verdict, experiment_list_running, experiment_results
from insights.event_names import EventName
from insights.models import Event

ACTIVATION_DAYS = 7
# Targets the summary judges against; below them the dashboard asks for attention.
ACTIVATION_TARGET = 0.30
PRO_CONVERSION_TARGET = 0.03
STRONG_GROWTH = 0.10


class Health:
    EXCELLENT = "excellent"
    GOOD = "good"
    NEEDS_ATTENTION = "needs_attention"


@dataclass
class GrowthSummary:
    health: str
    health_label: str
    top_action: str
    key_wins: list[str] = field(default_factory=list)


@dataclass
class GrowthNumbers:
    signups_this_week: int
    signups_last_week: int
    activation_cohort: int
    activated: int
    users: int
    paying: int
    experiments: list[ExperimentResult]

    @property
    def signups_change(self) -> float | None:
        """Week-over-week change of signups (0.25 = +25 %); None without last week's signups."""
        if not self.signups_last_week:
            return None
        return self.signups_this_week / self.signups_last_week - 1

    @property
    def activation_rate(self) -> float | None:
        return self.activated / self.activation_cohort if self.activation_cohort else None

    @property
    def pro_conversion(self) -> float | None:
        return self.paying / self.users if self.users else None

    # Percentages for the page, one decimal.
    @property
    def signups_change_percent(self) -> float | None:
        change = self.signups_change
        return None if change is None else round(change * 100, 1)

    @property
    def activation_percent(self) -> float | None:
        rate = self.activation_rate
        return None if rate is None else round(rate * 100, 1)

    @property
    def pro_conversion_percent(self) -> float | None:
        rate = self.pro_conversion
        return None if rate is None else round(rate * 100, 1)


def growth_numbers(*, now: datetime | None = None) -> GrowthNumbers:
    """The dashboard's figures (a fixed number of queries)."""
    now = now or timezone.now()
    User = get_user_model()
    week, two_weeks = now - timedelta(days=7), now - timedelta(days=14)
    signups = User.objects.aggregate(
        this_week=Count("pk", filter=Q(date_joined__gt=week, date_joined__lte=now)),
        last_week=Count("pk", filter=Q(date_joined__gt=two_weeks, date_joined__lte=week)),
        total=Count("pk", filter=Q(is_active=True)),
    )
    # People who joined 7 to 37 days ago have had their whole first week.
    cohort_end = now - timedelta(days=ACTIVATION_DAYS)
    first_week_end = ExpressionWrapper(
        OuterRef("date_joined") + Value(timedelta(days=ACTIVATION_DAYS)), output_field=DateTimeField()
    )
    first_video = Event.objects.filter(
        name=EventName.VIDEO_CREATED, actor=OuterRef("pk"), occurred_at__lt=first_week_end
    )
    activation = User.objects.filter(
        date_joined__gt=cohort_end - timedelta(days=30), date_joined__lte=cohort_end
    ).aggregate(cohort=Count("pk"), activated=Count("pk", filter=Q(Exists(first_video))))
    return GrowthNumbers(
        signups_this_week=signups["this_week"],
        signups_last_week=signups["last_week"],
        activation_cohort=activation["cohort"],
        activated=activation["activated"],
        users=signups["total"],
        paying=paying_subscriber_count(),
        experiments=experiment_results(experiments=experiment_list_running()),
    )


def _percent(value: float) -> str:
    return f"{value * 100:+.0f} %" if value else "0 %"


def growth_summary(numbers: GrowthNumbers) -> GrowthSummary:
    """Health, the one action to take first, and the wins, by the rules below (in this order)."""
    srm = [r for r in numbers.experiments if r.verdict == Verdict.SAMPLE_RATIO_MISMATCH]
    winners = [r for r in numbers.experiments if r.verdict == Verdict.WINNER and r.winner]
    change, activation, conversion = numbers.signups_change, numbers.activation_rate, numbers.pro_conversion
    checks = [
        change is None or change >= 0,
        activation is None or activation >= ACTIVATION_TARGET,
        conversion is None or conversion >= PRO_CONVERSION_TARGET,
        not srm,
    ]
    passed = sum(checks)
    if passed == len(checks) and change is not None and change >= STRONG_GROWTH:
        health, label = Health.EXCELLENT, _("Excellent")
    elif passed >= len(checks) - 1:
        health, label = Health.GOOD, _("Good")
    else:
        health, label = Health.NEEDS_ATTENTION, _("Needs attention")

    if srm:
        action = _("Fix the traffic split of “%(experiment)s”: its sample ratio does not match its weights.") % {
            "experiment": srm[0].experiment.name
        }
    elif winners:
        action = _("Ship “%(variant)s” in “%(experiment)s”.") % {
            "variant": winners[0].winner.variant.name,
            "experiment": winners[0].experiment.name,
        }
    elif activation is not None and activation < ACTIVATION_TARGET:
        action = _("Improve activation: fewer than %(target)d %% of new people make a video in their first week.") % {
            "target": ACTIVATION_TARGET * 100
        }
    elif change is not None and change < 0:
        action = _("Signups fell %(change)s week over week: look at acquisition.") % {
            "change": f"{abs(change) * 100:.0f} %"
        }
    elif conversion is not None and conversion < PRO_CONVERSION_TARGET:
        action = _("Pro conversion is under %(target)d %%: test the pricing page.") % {
            "target": PRO_CONVERSION_TARGET * 100
        }
    elif not numbers.experiments:
        action = _("Start an experiment: nothing is being tested.")
    else:
        action = _("Keep the running experiments going until they reach a verdict.")

    wins = []
    for result in winners:
        lift = result.winner.comparison.relative_lift if result.winner.comparison else None
        wins.append(
            _("“%(variant)s” wins “%(experiment)s” (%(lift)s).")
            % {
                "variant": result.winner.variant.name,
                "experiment": result.experiment.name,
                "lift": _percent(lift) if lift is not None else "—",
            }
        )
    if change is not None and change > 0:
        wins.append(_("Signups up %(change)s week over week.") % {"change": _percent(change)})
    if activation is not None and activation >= ACTIVATION_TARGET:
        wins.append(_("Activation on target: %(rate).0f %%.") % {"rate": activation * 100})
    if conversion is not None and conversion >= PRO_CONVERSION_TARGET:
        wins.append(_("Pro conversion on target: %(rate).1f %%.") % {"rate": conversion * 100})
    return GrowthSummary(health=health, health_label=label, top_action=action, key_wins=wins)
