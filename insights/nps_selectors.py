"""NPS reads: who is due a survey, the figures by month, segment and plan, and detractor themes."""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insights.nps_models import CustomerSuccessTask, NpsCategory, NpsResponse, NpsSegment, NpsSurveyState
from insights.nps_score import NpsFigure, nps_figure_of_counts
from teams.models import User

FIRST_ASK_AFTER = timedelta(days=30)
ASK_EVERY = timedelta(days=90)
# The in-app prompt has this long to reach someone who is due before the survey is e-mailed instead.
EMAIL_AFTER_DUE = timedelta(days=7)


def nps_due_q(*, now: datetime, grace: timedelta = timedelta(0), prefix: str = "") -> Q:
    """Due a survey at `now` (`grace` later than the earliest moment): signed up at least 30 days
    ago, and never asked or last asked at least 90 days ago. `prefix` reaches the person from another model."""
    joined = Q(**{f"{prefix}date_joined__lte": now - FIRST_ASK_AFTER - grace})
    asked_long_ago = Q(**{f"{prefix}nps_state__asked_at__isnull": True}) | Q(
        **{f"{prefix}nps_state__asked_at__lte": now - ASK_EVERY - grace}
    )
    return joined & asked_long_ago


def nps_state_due_q(*, now: datetime, grace: timedelta = timedelta(0)) -> Q:
    """The "not asked for 90 days" half of the rule on NpsSurveyState's own columns, for the conditional
    UPDATE that claims a period: no join, so PostgreSQL re-checks it on the row a parallel claim just
    wrote (the "joined 30 days ago" half never changes and is checked before)."""
    return Q(asked_at__isnull=True) | Q(asked_at__lte=now - ASK_EVERY - grace)


def nps_is_due(*, user: User, now: datetime | None = None) -> bool:
    """Whether the in-app prompt should be offered to this person now (one query)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    now = now or timezone.now()
    return User.objects.filter(pk=user.pk).filter(nps_due_q(now=now)).exists()


def nps_open_ask(*, user: User) -> NpsSurveyState | None:
    """The person's state when they were asked and have not answered yet (an e-mail link may still be used)."""
    state = NpsSurveyState.objects.filter(user=user).first()
    if state is None or state.asked_at is None or state.answered_at is not None:
        return None
    return state


def nps_user_ids_due_for_email(*, now: datetime, limit: int = 500) -> list[int]:
    """Active people due a survey for a week already (the prompt did not reach them): one set-based query."""
    return list(
        User.objects.filter(is_active=True)
        .filter(nps_due_q(now=now, grace=EMAIL_AFTER_DUE))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def _figure(queryset: QuerySet[NpsResponse]) -> NpsFigure:
    counts = queryset.aggregate(
        promoters=Count("pk", filter=Q(category=NpsCategory.PROMOTER)),
        passives=Count("pk", filter=Q(category=NpsCategory.PASSIVE)),
        detractors=Count("pk", filter=Q(category=NpsCategory.DETRACTOR)),
    )
    return nps_figure_of_counts(**counts)


def nps_figure_between(*, since: datetime, until: datetime) -> NpsFigure:
    """The NPS of the answers given in [since, until)."""
    return _figure(NpsResponse.objects.filter(created_at__gte=since, created_at__lt=until))


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _months_back(start: date, count: int) -> date:
    year, month = start.year, start.month - count
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, 1)


@dataclass(frozen=True)
class NpsRow:
    label: str
    figure: NpsFigure


def nps_by_month(*, months: int = 6, now: datetime | None = None) -> list[NpsRow]:
    """The NPS of each of the last `months` calendar months (the current one included), oldest first."""
    now = now or timezone.now()
    this_month = _month_start(timezone.localdate(now))
    rows = []
    for back in range(months - 1, -1, -1):
        start = _months_back(this_month, back)
        end = _months_back(start, -1)
        since = timezone.make_aware(datetime.combine(start, datetime.min.time()))
        until = timezone.make_aware(datetime.combine(end, datetime.min.time()))
        rows.append(NpsRow(label=start.strftime("%Y-%m"), figure=nps_figure_between(since=since, until=until)))
    return rows


def _grouped(*, field: str, since: datetime, until: datetime) -> dict[str, NpsFigure]:
    rows = (
        NpsResponse.objects.filter(created_at__gte=since, created_at__lt=until)
        .values(field)
        .annotate(
            promoters=Count("pk", filter=Q(category=NpsCategory.PROMOTER)),
            passives=Count("pk", filter=Q(category=NpsCategory.PASSIVE)),
            detractors=Count("pk", filter=Q(category=NpsCategory.DETRACTOR)),
        )
        .order_by(field)
    )
    return {
        row[field]: nps_figure_of_counts(
            promoters=row["promoters"], passives=row["passives"], detractors=row["detractors"]
        )
        for row in rows
    }


def nps_by_segment(*, since: datetime, until: datetime) -> list[NpsRow]:
    """The NPS per tenure segment (new, established, veteran), in that order."""
    figures = _grouped(field="segment", since=since, until=until)
    return [NpsRow(label=str(label), figure=figures[code]) for code, label in NpsSegment.choices if code in figures]


def nps_by_plan(*, since: datetime, until: datetime) -> list[NpsRow]:
    """The NPS per plan the people were on when they answered (recorded through billing.limits)."""
    return [
        NpsRow(label=code or "—", figure=figure)
        for code, figure in _grouped(field="plan_code", since=since, until=until).items()
    ]


def customer_success_task_queue() -> QuerySet[CustomerSuccessTask]:
    """Open tasks first, the most overdue on top."""
    return CustomerSuccessTask.objects.select_related("response__user", "assignee").order_by("status", "due_at", "pk")


# Themes of detractor feedback, by explicit keyword rules (lower-case word stems; a theme counts once per answer).
DETRACTOR_THEMES: list[tuple[str, object, tuple[str, ...]]] = [
    ("price", _("Price"), ("price", "pric", "expensive", "cost", "pay", "subscription", "cheap", "money")),
    ("speed", _("Speed"), ("slow", "speed", "fast", "wait", "lag", "takes forever", "performance")),
    ("bugs", _("Bugs"), ("bug", "crash", "broken", "error", "fail", "glitch", "doesn't work", "does not work")),
    ("export", _("Export"), ("export", "download", "zip", "render")),
    ("templates", _("Templates"), ("template", "design", "style", "layout")),
    ("support", _("Support"), ("support", "help", "answer", "response", "reply", "contact")),
]


def feedback_themes(text: str) -> list[str]:
    """The theme codes a piece of feedback touches, by the keyword rules above."""
    lowered = text.lower()
    return [
        code
        for code, _label, words in DETRACTOR_THEMES
        if any(re.search(r"\b" + re.escape(word), lowered) for word in words)
    ]


def nps_detractor_themes(*, since: datetime, until: datetime, limit: int = 5) -> list[tuple[str, int]]:
    """The most frequent themes of detractors' feedback in [since, until): (label, answers), most first."""
    feedback = (
        NpsResponse.objects.filter(category=NpsCategory.DETRACTOR, created_at__gte=since, created_at__lt=until)
        .exclude(feedback="")
        .values_list("feedback", flat=True)
    )
    counts: Counter[str] = Counter()
    for text in feedback.iterator():
        counts.update(feedback_themes(text))
    labels = {code: str(label) for code, label, _words in DETRACTOR_THEMES}
    order = [code for code, _label, _words in DETRACTOR_THEMES]
    ranked = sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0])))
    return [(labels[code], count) for code, count in ranked[:limit]]
