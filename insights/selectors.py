"""Reads for the dashboards; every figure comes from the database."""

from datetime import date, timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from insights.models import Event


def event_counts_by_day_for_user(*, user: object, days: int = 7) -> list[tuple[date, int]]:
    """The user's events per day over the last `days` days in their time zone, oldest first."""
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    first_day = today - timedelta(days=days - 1)
    rows = (
        Event.objects.filter(actor=user, occurred_at__date__gte=first_day)
        .annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("day")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts = {row["day"]: row["count"] for row in rows}
    return [(first_day + timedelta(days=i), counts.get(first_day + timedelta(days=i), 0)) for i in range(days)]


def event_list_recent_for_user(*, user: object, limit: int = 10) -> QuerySet[Event]:
    """The user's latest events, newest first."""
    return Event.objects.filter(actor=user).order_by("-occurred_at", "-id")[:limit]
