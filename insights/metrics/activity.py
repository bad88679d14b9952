"""Activity: DAU / WAU / MAU, stickiness, feature adoption and growth against the previous period.

"Active" means the person is the actor of at least one recorded event (`insights.Event`) in the
window — signed-in page views, logins, videos, exports, comments, votes …
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q

from insights.event_names import EventName
from insights.metrics.periods import day_end, day_start
from insights.models import Event

# The features whose adoption is followed: the event that shows someone used each.
FEATURES: tuple[EventName, ...] = (
    EventName.TEMPLATE_USED,
    EventName.VIDEO_CREATED,
    EventName.VIDEO_RENDERED,
    EventName.EXPORT_READY,
    EventName.VIDEO_PUBLISHED,
    EventName.COMMENT_CREATED,
    EventName.TEAM_CREATED,
    EventName.FEATURE_VOTED,
)


def active_users(*, day: date) -> dict[str, int]:
    """DAU, WAU and MAU on a day: distinct people who were the actor of an event that day, in the
    7 days ending that day, and in the 30 days ending that day."""
    counts = Event.objects.filter(
        actor__isnull=False, occurred_at__gte=day_start(day - timedelta(days=29)), occurred_at__lt=day_end(day)
    ).aggregate(
        dau=Count("actor", distinct=True, filter=Q(occurred_at__gte=day_start(day))),
        wau=Count("actor", distinct=True, filter=Q(occurred_at__gte=day_start(day - timedelta(days=6)))),
        mau=Count("actor", distinct=True),
    )
    return {key: counts[key] or 0 for key in ("dau", "wau", "mau")}


def stickiness(*, dau: int, mau: int) -> float | None:
    """Stickiness: DAU ÷ MAU — the share of the month's active people who come back on a given day."""
    return round(dau / mau, 4) if mau else None


@dataclass(frozen=True)
class Adoption:
    name: str
    label: str
    users: int
    share: float | None


def feature_adoption(*, start: date, end: date) -> list[Adoption]:
    """Feature adoption over a period: for each followed feature, the people who used it at least once
    (were the actor of its event) and their share of everyone active in the period."""
    window = Event.objects.filter(
        actor__isnull=False, occurred_at__gte=day_start(start), occurred_at__lt=day_end(end)
    ).order_by()
    active = window.aggregate(n=Count("actor", distinct=True))["n"] or 0
    used = dict(
        window.filter(name__in=FEATURES).values_list("name").annotate(users=Count("actor", distinct=True)).order_by()
    )
    return [
        Adoption(
            name=str(feature),
            label=str(feature.label),
            users=used.get(feature.value, 0),
            share=round(used.get(feature.value, 0) / active, 4) if active else None,
        )
        for feature in FEATURES
    ]


def growth_rate(*, current: float | None, previous: float | None) -> float | None:
    """Growth against the previous period: (this period - the previous one of the same length) ÷ the
    previous one. None when the previous period had nothing to grow from."""
    if current is None or not previous:
        return None
    return round((current - previous) / previous, 4)
