"""Demo metrics: anonymous page views for the funnel, acquisition spend for CAC, and snapshots of recent days."""

import random
from datetime import timedelta

from django.utils import timezone

from insights.event_names import EventName
from insights.metrics.periods import add_months, month_start
from insights.models import AcquisitionSpend, Event
from insights.services import acquisition_spend_save, daily_snapshots_backfill
from teams.models import User

# Enough days for the dashboard's default range, its comparison period and three months of trends.
DEMO_SNAPSHOT_DAYS = 92
DEMO_SPEND = [("paid_social", 45000), ("content", 12000)]  # cents per month


def load(*, creator: User, staff: User) -> None:
    """Page views of 60 anonymous visitors over 30 days, three months of spend, and the snapshots (once)."""
    today = timezone.now().date()
    if not Event.objects.filter(name=EventName.PAGE_VIEWED).exists():
        rng = random.Random(15)
        now = timezone.now()
        # Synthetic history, so it is written in bulk rather than event by event through record_event.
        Event.objects.bulk_create(
            Event(
                name=EventName.PAGE_VIEWED,
                payload={"visitor": f"demo-visitor-{rng.randrange(60)}", "path": "/"},
                occurred_at=now - timedelta(days=rng.uniform(0, 30)),
            )
            for _ in range(150)
        )
    if not AcquisitionSpend.objects.exists():
        for months_back in range(3):
            month = add_months(month_start(today), -months_back)
            for channel, cents in DEMO_SPEND:
                acquisition_spend_save(channel=channel, month=month, amount_cents=cents, actor=staff)
    daily_snapshots_backfill(today=today, days=DEMO_SNAPSHOT_DAYS)
