"""Demo incidents and status history: a resolved P1 with its post-mortem, a maintenance window,
and 90 days of health checks (one per check per hour) so `/status/` shows uptime bars."""

import datetime as dt
import random

from django.utils import timezone

from insights.health import CHECKS
from insights.health_models import HealthCheckResult
from insights.incident_models import Incident
from insights.services import incidents as incident_services
from insights.services.status import health_days_roll_up, maintenance_save
from insights.status import UPTIME_DAYS
from insights.status_models import Maintenance
from teams.models import User

DEMO_SOURCE_ID = "demo-render-queue"


def load(*, creator: User, staff: User) -> None:
    """Once: history, one incident through its whole life, one maintenance window."""
    now = timezone.now()
    if not Incident.objects.filter(source=Incident.Source.MANUAL, source_id=DEMO_SOURCE_ID).exists():
        _incident(staff=staff, now=now)
    if not Maintenance.objects.exists():
        start = (now + dt.timedelta(days=3)).replace(hour=2, minute=0, second=0, microsecond=0)
        maintenance_save(
            title="Database upgrade",
            description="Rendering and exports pause for up to 30 minutes while the database is upgraded.",
            components=["rendering", "exports"],
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=30),
        )
    if not HealthCheckResult.objects.exists():
        _history(now=now)


def _incident(*, staff: User, now: dt.datetime) -> None:
    detected = now - dt.timedelta(days=2, hours=3)
    incident = incident_services.incident_open(
        title="Renders stuck in the queue",
        severity="P1",
        actor=staff,
        source=Incident.Source.MANUAL,
        source_id=DEMO_SOURCE_ID,
        components=["rendering", "exports"],
        detected_at=detected,
        public_message="Some renders are waiting longer than usual. We are looking into it.",
    )
    step = dt.timedelta(minutes=12)
    incident = incident_services.incident_acknowledge(incident=incident, actor=staff, now=detected + step)
    incident = incident_services.incident_transition(
        incident=incident,
        actor=staff,
        to_state=Incident.State.IDENTIFIED,
        public_message="A worker pool stopped taking work after a deploy; we are restarting it.",
        now=detected + 4 * step,
    )
    incident = incident_services.incident_transition(
        incident=incident, actor=staff, to_state=Incident.State.MONITORING, now=detected + 6 * step
    )
    incident = incident_services.incident_transition(
        incident=incident,
        actor=staff,
        to_state=Incident.State.RESOLVED,
        public_message="Renders are flowing normally again; every waiting render was completed.",
        now=detected + 9 * step,
    )
    incident_services.postmortem_write(
        incident=incident,
        actor=staff,
        summary="Renders waited up to 100 minutes after a deploy left one worker pool idle.",
        impact="About 40 renders and 3 exports were late; none failed.",
        timeline="Detected by the queue-depth alert, acknowledged 12 min later, fixed by a restart at +72 min.",
        root_cause="The deploy script restarted workers before the broker accepted connections again.",
        went_well="The alert fired within a minute; the status page was updated at each step.",
        action_items=[
            {"description": "Wait for the broker in the deploy script", "owner": staff, "due_on": now.date()},
            {
                "description": "Alert on worker pools with no consumers",
                "owner": staff,
                "due_on": now.date() + dt.timedelta(days=14),
            },
        ],
        now=detected + dt.timedelta(days=1),
    )


def _history(*, now: dt.datetime) -> None:
    # Hourly rows are enough for the demo (the beat writes one a minute): uptime is a ratio.
    rng = random.Random(19)
    start = (now - dt.timedelta(days=UPTIME_DAYS - 1)).replace(minute=0, second=0, microsecond=0)
    rows = []
    at = start
    while at <= now:
        for name in CHECKS:
            rows.append(
                HealthCheckResult(name=name, checked_at=at, ok=rng.random() > 0.004, duration_ms=rng.uniform(1, 20))
            )
        at += dt.timedelta(hours=1)
    HealthCheckResult.objects.bulk_create(rows, batch_size=2000)
    today = now.astimezone(dt.UTC).date()
    health_days_roll_up(since=today - dt.timedelta(days=UPTIME_DAYS), until=today)
