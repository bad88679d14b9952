"""Writes of the daily snapshots: one row per day and metric family, replaced when rebuilt."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from insights.metrics.snapshots import FAMILIES
from insights.models import DailySnapshot

# Signups keep verifying, making videos and paying after their day: the funnel family of this many
# recent days is rebuilt each time a new day is written.
FUNNEL_SETTLE_DAYS = 14


@transaction.atomic
def daily_snapshot_build(*, day: date, families: list[str] | None = None) -> list[DailySnapshot]:
    """Compute and store the snapshot rows of `day` (every family, or those named); a row already
    there is replaced, so building a day twice leaves one row per family."""
    if day >= timezone.now().date():
        raise ValueError("Only finished days are snapshotted.")
    written = []
    for family in families or list(FAMILIES):
        snapshot, _created = DailySnapshot.objects.update_or_create(
            day=day, family=family, defaults={"data": FAMILIES[family](day), "computed_at": timezone.now()}
        )
        written.append(snapshot)
    return written


def daily_snapshots_backfill(*, today: date | None = None, days: int | None = None) -> list[date]:
    """Build every finished day of the last `days` (INSIGHTS_SNAPSHOT_BACKFILL_DAYS) that lacks a
    family, oldest first, each day in its own transaction; then refresh the recent funnel rows.
    The days built."""
    today = today or timezone.now().date()
    days = settings.INSIGHTS_SNAPSHOT_BACKFILL_DAYS if days is None else days
    first = today - timedelta(days=days)
    complete = set(
        DailySnapshot.objects.filter(day__gte=first, day__lt=today, family__in=list(FAMILIES))
        .values_list("day")
        .annotate(n=Count("family"))
        .filter(n=len(FAMILIES))
        .values_list("day", flat=True)
    )
    missing = [first + timedelta(days=n) for n in range(days) if first + timedelta(days=n) not in complete]
    for day in missing:
        daily_snapshot_build(day=day)
    if missing:
        settled = [today - timedelta(days=n) for n in range(1, FUNNEL_SETTLE_DAYS + 1)]
        for day in settled:
            if day >= first and day not in missing:
                daily_snapshot_build(day=day, families=["funnel"])
    return missing
