"""Daily snapshots: one row per day and family, replaced when rebuilt, missed days back-filled (bounded)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from insights.event_names import EventName
from insights.metrics.snapshots import FAMILIES
from insights.models import DailySnapshot
from insights.services import daily_snapshot_build, daily_snapshots_backfill
from insights.tasks import SNAPSHOT_LOCK, daily_snapshots_build
from tests.insights.metrics_fixtures import at, event, invoice, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def march():
    ana = person(at(3, 10, hour=9))
    event(EventName.USER_SIGNED_UP, ana, at(3, 10, hour=9))
    event(EventName.PAGE_VIEWED, None, at(3, 10, hour=8), visitor="anon-1")
    event(EventName.VIDEO_CREATED, ana, at(3, 10, hour=10))
    invoice(ana, at(3, 10, hour=11), at(4, 10, hour=11))
    return ana


def test_a_day_gets_one_row_per_family_with_its_figures(march):
    daily_snapshot_build(day=date(2026, 3, 10))
    rows = {row.family: row.data for row in DailySnapshot.objects.filter(day=date(2026, 3, 10))}
    assert set(rows) == set(FAMILIES) == {"revenue", "users", "content", "funnel", "cohorts"}
    assert (rows["revenue"]["mrr"], rows["revenue"]["new"], rows["revenue"]["customers"]) == (1200, 1200, 1)
    assert (rows["users"]["total_users"], rows["users"]["dau"]) == (1, 1)
    assert rows["funnel"] == {"visitors": 1, "signups": 1, "verified": 1, "first_video": 1, "pro": 1}
    assert rows["cohorts"]["cohorts"][-1] == {"month": "2026-03-01", "size": 1, "active": [1]}


def test_rebuilding_a_day_replaces_its_rows(march):
    daily_snapshot_build(day=date(2026, 3, 10))
    event(EventName.PAGE_VIEWED, None, at(3, 10, hour=12), visitor="anon-2")
    daily_snapshot_build(day=date(2026, 3, 10))
    assert DailySnapshot.objects.filter(day=date(2026, 3, 10)).count() == len(FAMILIES)
    assert DailySnapshot.objects.get(day=date(2026, 3, 10), family="funnel").data["visitors"] == 2


def test_an_unfinished_day_is_not_snapshotted():
    with pytest.raises(ValueError):
        daily_snapshot_build(day=timezone.now().date())


def test_the_backfill_writes_missed_days_only_and_is_bounded():
    today = date(2026, 3, 20)
    written = daily_snapshots_backfill(today=today, days=5)
    assert written == [date(2026, 3, n) for n in range(15, 20)]
    assert DailySnapshot.objects.count() == 5 * len(FAMILIES)
    # A lost day in the middle is written again; complete days are left alone.
    DailySnapshot.objects.filter(day=date(2026, 3, 17), family="users").delete()
    before = DailySnapshot.objects.get(day=date(2026, 3, 18), family="revenue").computed_at
    assert daily_snapshots_backfill(today=today, days=5) == [date(2026, 3, 17)]
    assert DailySnapshot.objects.get(day=date(2026, 3, 18), family="revenue").computed_at == before
    # Nothing missing: nothing written.
    assert daily_snapshots_backfill(today=today, days=5) == []


def test_recent_funnel_rows_are_refreshed_as_signups_convert():
    today = date(2026, 3, 20)
    ana = person(at(3, 12))
    daily_snapshots_backfill(today=today, days=10)
    assert DailySnapshot.objects.get(day=date(2026, 3, 12), family="funnel").data["first_video"] == 0
    event(EventName.VIDEO_CREATED, ana, at(3, 20, hour=1))  # she makes her first video a week later
    assert daily_snapshots_backfill(today=today + timedelta(days=1), days=10) == [date(2026, 3, 20)]
    assert DailySnapshot.objects.get(day=date(2026, 3, 12), family="funnel").data["first_video"] == 1


def test_the_beat_task_is_scheduled_and_writes_yesterday(settings):
    assert PeriodicTask.objects.filter(task="insights.daily_snapshots_build", enabled=True).exists()
    settings.INSIGHTS_SNAPSHOT_BACKFILL_DAYS = 2
    assert daily_snapshots_build.apply().get() == 2
    yesterday = timezone.now().date() - timedelta(days=1)
    assert DailySnapshot.objects.filter(day=yesterday).count() == len(FAMILIES)
    assert daily_snapshots_build.apply().get() == 0


def test_a_second_run_leaves_while_one_is_running(settings):
    from django.core.cache import cache

    settings.INSIGHTS_SNAPSHOT_BACKFILL_DAYS = 2
    cache.add(SNAPSHOT_LOCK, "1", timeout=60)
    assert daily_snapshots_build.apply().get() == 0
    assert not DailySnapshot.objects.exists()
    cache.delete(SNAPSHOT_LOCK)
    assert daily_snapshots_build.apply().get() == 2
