"""Experiment reads: results per variant, the sample-ratio check and the sequential verdict.

Conversions come from the event log: an assigned person converts when the experiment's goal event
is recorded for them at or after their exposure (or a client posts a goal for the experiment), and
counts once however often it happens. Every experiment on a page is counted in one query.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from growth import stats
from growth.experiments_models import Experiment, ExperimentAssignment, ExperimentGoal, ExperimentVariant
from insights.event_names import EventName
from insights.models import Event

# GrowthBook's rule: the sample-ratio test only speaks once every variant has this many people,
# and flags a mismatch below this p-value.
SRM_MIN_PER_VARIANT = 8
SRM_P_VALUE = 0.001
ALPHA = 0.05


class Verdict:
    WINNER = "winner"
    NO_DIFFERENCE_YET = "no_difference_yet"
    KEEP_CONTROL = "keep_control"
    SAMPLE_RATIO_MISMATCH = "sample_ratio_mismatch"

    LABELS = {
        WINNER: _("Winner"),
        NO_DIFFERENCE_YET: _("No difference yet"),
        KEEP_CONTROL: _("Keep control"),
        SAMPLE_RATIO_MISMATCH: _("Sample ratio mismatch: no verdict"),
    }


@dataclass
class VariantResult:
    variant: ExperimentVariant
    exposures: int
    conversions: int
    comparison: stats.Comparison | None = None  # against control; None for control itself
    sequential_ci: tuple[float, float] | None = None
    sequential_p_value: float | None = None  # always valid: may be read at every look

    @property
    def rate(self) -> float | None:
        return self.conversions / self.exposures if self.exposures else None


@dataclass
class ExperimentResult:
    experiment: Experiment
    variants: list[VariantResult]
    srm_p_value: float | None
    srm_flagged: bool
    verdict: str
    winner: VariantResult | None
    sample_size_per_variant: int | None
    remaining_per_variant: int | None
    guardrails: dict[str, list[float | None]] = field(default_factory=dict)

    @property
    def verdict_label(self) -> str:
        label = Verdict.LABELS[self.verdict]
        if self.verdict == Verdict.WINNER and self.winner:
            return f"{label}: {self.winner.variant.name}"
        return str(label)

    @property
    def exposures(self) -> int:
        return sum(v.exposures for v in self.variants)


def _converted(goal_event: str | OuterRef, *, posted_goals: bool = True) -> Q:
    goal_events = Event.objects.filter(
        name=goal_event, actor=OuterRef("user"), occurred_at__gte=OuterRef("exposed_at")
    ).exclude(name=EventName.EXPERIMENT_CONVERTED)  # client-posted goals count for their own experiment only
    if not posted_goals:
        return Q(Exists(goal_events))
    posted = ExperimentGoal.objects.filter(
        experiment=OuterRef("experiment"), user=OuterRef("user"), occurred_at__gte=OuterRef("exposed_at")
    )
    return Q(Exists(goal_events)) | Q(Exists(posted))


def experiment_counts(*, experiment_ids: Iterable[int]) -> dict[tuple[int, int], tuple[int, int]]:
    """(experiment id, variant id) -> (exposures, conversions), for many experiments in one query."""
    rows = (
        ExperimentAssignment.objects.filter(experiment_id__in=list(experiment_ids))
        .values("experiment_id", "variant_id")
        .annotate(n=Count("id"), x=Count("id", filter=_converted(OuterRef("experiment__goal_event"))))
        .order_by()
    )
    return {(row["experiment_id"], row["variant_id"]): (row["n"], row["x"]) for row in rows}


def _verdict(experiment: Experiment, variants: list[VariantResult]) -> tuple[str, VariantResult | None]:
    control, treatments = variants[0], variants[1:]
    intervals = [(t, t.sequential_ci) for t in treatments if t.sequential_ci is not None]
    if len(intervals) < len(treatments) or not treatments:
        return Verdict.NO_DIFFERENCE_YET, None
    winners = [t for t, (low, _high) in intervals if low > 0]
    if winners:
        return Verdict.WINNER, max(winners, key=lambda t: t.rate or 0)
    if all(high < 0 for _t, (_low, high) in intervals):
        return Verdict.KEEP_CONTROL, None
    # Every variant is known to be within the minimum detectable effect of control: nothing worth
    # shipping will be found, so control stays.
    margin = (control.rate or 0) * experiment.minimum_detectable_effect
    if margin > 0 and all(-margin < low and high < margin for _t, (low, high) in intervals):
        return Verdict.KEEP_CONTROL, None
    return Verdict.NO_DIFFERENCE_YET, None


def experiment_result(
    experiment: Experiment, counts: dict[tuple[int, int], tuple[int, int]], variants: list[ExperimentVariant]
) -> ExperimentResult:
    """Results, checks and verdict of one experiment from its counts (`experiment_counts`)."""
    results = [VariantResult(variant, *counts.get((experiment.pk, variant.pk), (0, 0))) for variant in variants]
    if not results:
        return ExperimentResult(experiment, [], None, False, Verdict.NO_DIFFERENCE_YET, None, None, None)
    control = results[0]
    for treatment in results[1:]:
        args = {"control_n": control.exposures, "control_x": control.conversions}
        treatment.comparison = stats.proportion_compare(**args, n=treatment.exposures, x=treatment.conversions)
        treatment.sequential_ci = stats.sequential_interval(
            **args, n=treatment.exposures, x=treatment.conversions, alpha=ALPHA
        )
        treatment.sequential_p_value = stats.sequential_p_value(**args, n=treatment.exposures, x=treatment.conversions)
    # People outside coverage are not exposed, so the weights alone give the expected split.
    srm_p = stats.sample_ratio_p_value([r.exposures for r in results], [v.weight for v in variants])
    srm_flagged = srm_p is not None and all(r.exposures >= SRM_MIN_PER_VARIANT for r in results) and srm_p < SRM_P_VALUE
    if srm_flagged:
        verdict, winner = Verdict.SAMPLE_RATIO_MISMATCH, None
    else:
        verdict, winner = _verdict(experiment, results)
    needed = remaining = None
    if control.rate:
        needed = stats.sample_size_per_variant(
            baseline_rate=control.rate, relative_mde=experiment.minimum_detectable_effect, alpha=ALPHA
        )
        if needed is not None:
            remaining = max(0, needed - min(r.exposures for r in results))
    return ExperimentResult(experiment, results, srm_p, srm_flagged, verdict, winner, needed, remaining)


def experiment_results(*, experiments: QuerySet[Experiment] | Iterable[Experiment]) -> list[ExperimentResult]:
    """Results of many experiments with a fixed number of queries (experiments, variants, counts)."""
    experiments = list(experiments)
    by_experiment: dict[int, list[ExperimentVariant]] = defaultdict(list)
    for variant in ExperimentVariant.objects.filter(experiment__in=experiments).order_by("experiment_id", "position"):
        by_experiment[variant.experiment_id].append(variant)
    counts = experiment_counts(experiment_ids=[e.pk for e in experiments])
    return [experiment_result(e, counts, by_experiment[e.pk]) for e in experiments]


def experiment_guardrails(
    *, experiment: Experiment, variants: list[ExperimentVariant]
) -> dict[str, list[float | None]]:
    """Each guardrail event's rate per variant (one query per guardrail)."""
    rates: dict[str, list[float | None]] = {}
    for name in experiment.guardrail_events or []:
        rows = {
            row["variant_id"]: row
            for row in ExperimentAssignment.objects.filter(experiment=experiment)
            .values("variant_id")
            .annotate(n=Count("id"), x=Count("id", filter=_converted(name, posted_goals=False)))
            .order_by()
        }
        rates[name] = [rows[v.pk]["x"] / rows[v.pk]["n"] if v.pk in rows else None for v in variants]
    return rates


def experiment_list_running() -> QuerySet[Experiment]:
    """Running experiments, newest first."""
    return Experiment.objects.filter(status=Experiment.Status.RUNNING).select_related("shipped_variant")


def experiment_list_live() -> QuerySet[Experiment]:
    """Experiments that decide what people see: running and shipped."""
    return Experiment.objects.filter(status__in=[Experiment.Status.RUNNING, Experiment.Status.SHIPPED])


def experiment_assignments_for_user(*, user: object) -> list[dict[str, object]]:
    """The variant `user` sees in every live experiment (three queries, however many experiments)."""
    from growth.assignment import experiment_choose, live_from_model

    experiments = list(experiment_list_live().prefetch_related("variants").order_by("key"))
    assigned = dict(
        ExperimentAssignment.objects.filter(user=user, experiment__in=experiments).values_list(
            "experiment_id", "variant_id"
        )
    )
    answers = []
    for experiment in experiments:
        live = live_from_model(experiment, list(experiment.variants.all()))
        if live is None:
            continue
        choice = experiment_choose(live, hash_value=str(user.pk), assigned_variant_id=assigned.get(experiment.pk))
        answers.append(
            {
                "experiment": experiment.key,
                "status": experiment.status,
                "variant": choice.variant.key,
                "in_experiment": choice.counted,
                "exposed": experiment.pk in assigned,
            }
        )
    return answers
