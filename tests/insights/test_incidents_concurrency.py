"""The same alert episode delivered twice at once opens one incident; one escalation step raced by
two beats is sent once (PostgreSQL unique constraints)."""

import datetime as dt

import pytest
from django.db import connection  # noqa: F401 (the skipif condition below reads it)

from insights.incident_models import EscalationStep, Incident, IncidentEscalation
from insights.services import incidents as svc
from insights.signals import alert_fired
from teams.models import Notification
from tests.concurrency import run_while_first_holds_the_lock
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="waiting on a unique index needs PostgreSQL"),
]

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def test_one_alert_episode_fired_twice_at_once_opens_one_incident():
    def fire() -> None:
        alert_fired.send(
            sender="tests", episode_id=77, rule_key="latency", severity="P1", title="Latency high", started_at=T0
        )

    assert run_while_first_holds_the_lock(fire, fire) == {"first": "ok", "second": "ok"}
    assert Incident.objects.filter(source="alert", source_id="77").count() == 1


def test_two_beats_at_once_send_each_escalation_step_once():
    on_call = UserFactory(is_staff=True)
    EscalationStep.objects.get(level="on_call").recipients.add(on_call)
    svc.incident_open(title="Down", severity="P0", detected_at=T0)

    def beat() -> None:
        svc.incidents_escalate(now=T0 + dt.timedelta(minutes=20))

    assert run_while_first_holds_the_lock(beat, beat) == {"first": "ok", "second": "ok"}
    assert IncidentEscalation.objects.count() == 1
    assert Notification.objects.filter(recipient=on_call).count() == 1
