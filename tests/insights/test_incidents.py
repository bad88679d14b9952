"""Incidents: severities' targets, the workflow, escalations by the clock, the post-mortem gate,
and one incident per alert episode (the alert signals' contract)."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from config.errors import DomainError
from insights.incident_models import EscalationStep, Incident, IncidentEscalation, IncidentUpdate, Severity
from insights.selectors_incidents import action_items_overdue, incident_response_report, postmortems_overdue
from insights.services import incidents as svc
from insights.services.incidents import InvalidTransition
from insights.signals import alert_fired, alert_resolved
from teams.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
TARGETS = {"P0": (15, 4 * 60), "P1": (60, 24 * 60), "P2": (4 * 60, 3 * 24 * 60), "P3": (24 * 60, 7 * 24 * 60)}


def minutes(n: float) -> dt.timedelta:
    return dt.timedelta(minutes=n)


def open_incident(severity: str = "P1", **kwargs) -> Incident:
    return svc.incident_open(title=kwargs.pop("title", "Renders stuck"), severity=severity, detected_at=T0, **kwargs)


@pytest.mark.parametrize("code", TARGETS)
def test_each_severity_is_seeded_with_its_targets_and_its_clocks_run_from_detection(code):
    respond, resolve = TARGETS[code]
    severity = Severity.objects.get(code=code)
    assert (severity.response_minutes, severity.resolution_minutes) == (respond, resolve)
    assert severity.postmortem_required is (code in ("P0", "P1"))
    incident = open_incident(code)
    assert incident.overdue_clocks(now=T0 + minutes(respond) - dt.timedelta(seconds=1)) == []
    assert incident.overdue_clocks(now=T0 + minutes(respond) + dt.timedelta(seconds=1)) == ["response"]
    assert incident.overdue_clocks(now=T0 + minutes(resolve) + dt.timedelta(seconds=1)) == ["response", "resolution"]


def test_acknowledging_stops_the_response_clock_and_resolving_stops_both(staff):
    incident = open_incident("P0")
    incident = svc.incident_acknowledge(incident=incident, actor=staff, now=T0 + minutes(5))
    assert incident.overdue_clocks(now=T0 + minutes(60)) == []
    assert incident.overdue_clocks(now=T0 + minutes(4 * 60 + 1)) == ["resolution"]
    incident = svc.incident_transition(
        incident=incident, actor=staff, to_state=Incident.State.RESOLVED, now=T0 + minutes(4 * 60 + 2)
    )
    assert incident.overdue_clocks(now=T0 + minutes(10 * 60)) == []


def test_staff_change_a_severitys_targets_and_the_clock_follows():
    severity = Severity.objects.get(code="P2")
    svc.severity_update(
        severity=severity, name="Medium", response_minutes=30, resolution_minutes=600, postmortem_required=False
    )
    incident = open_incident("P2")
    assert incident.overdue_clocks(now=T0 + minutes(31)) == ["response"]
    with pytest.raises(DomainError):
        svc.severity_update(
            severity=severity, name="Medium", response_minutes=700, resolution_minutes=600, postmortem_required=False
        )


def test_the_workflow_timestamps_every_step_with_who_did_it(staff):
    commander = UserFactory(is_staff=True)
    incident = open_incident("P2", actor=staff)
    incident = svc.incident_acknowledge(incident=incident, actor=staff, commander=commander, now=T0 + minutes(3))
    assert (incident.commander, incident.acknowledged_at) == (commander, T0 + minutes(3))
    for n, state in enumerate(["investigating", "identified", "monitoring", "resolved"], start=1):
        incident = svc.incident_transition(incident=incident, actor=commander, to_state=state, now=T0 + minutes(10 * n))
    incident = svc.incident_close(incident=incident, actor=commander, now=T0 + minutes(60))
    steps = list(incident.updates.filter(kind=IncidentUpdate.Kind.STATE).values_list("state", "author", "created_at"))
    assert steps == [
        ("detected", staff.pk, T0),
        ("acknowledged", staff.pk, T0 + minutes(3)),
        ("investigating", commander.pk, T0 + minutes(10)),
        ("identified", commander.pk, T0 + minutes(20)),
        ("monitoring", commander.pk, T0 + minutes(30)),
        ("resolved", commander.pk, T0 + minutes(40)),
        ("closed", commander.pk, T0 + minutes(60)),
    ]
    assert (incident.resolved_at, incident.closed_at) == (T0 + minutes(40), T0 + minutes(60))


@pytest.mark.parametrize(
    ("reach", "then"),
    [
        ([], "investigating"),  # nobody has acknowledged it yet
        ([], "resolved"),
        (["acknowledged"], "acknowledged"),
        (["acknowledged", "resolved"], "monitoring"),  # resolved goes only to closed
        (["acknowledged", "resolved"], "closed"),  # closing has its own service
    ],
)
def test_invalid_transitions_are_refused_with_a_clear_error(staff, reach, then):
    incident = open_incident("P3")
    for state in reach:
        if state == "acknowledged":
            incident = svc.incident_acknowledge(incident=incident, actor=staff)
        else:
            incident = svc.incident_transition(incident=incident, actor=staff, to_state=state)
    with pytest.raises(InvalidTransition) as refused:
        if then == "acknowledged":
            svc.incident_acknowledge(incident=incident, actor=staff)
        else:
            svc.incident_transition(incident=incident, actor=staff, to_state=then)
    assert refused.value.code == "invalid_transition"
    assert Incident.objects.get(pk=incident.pk).state == (reach[-1] if reach else "detected")


def test_a_p0_or_p1_cannot_be_closed_before_its_postmortem(staff):
    owner = UserFactory()
    incident = open_incident("P1")
    svc.incident_acknowledge(incident=incident, actor=staff)
    svc.incident_transition(incident=incident, actor=staff, to_state="resolved", now=T0 + minutes(90))
    with pytest.raises(DomainError) as refused:
        svc.incident_close(incident=incident, actor=staff)
    assert refused.value.code == "postmortem_required"
    svc.postmortem_write(
        incident=incident,
        actor=staff,
        summary="s",
        impact="i",
        timeline="t",
        root_cause="r",
        went_well="w",
        action_items=[{"description": "Add a queue alert", "owner": owner, "due_on": dt.date(2026, 11, 10)}],
    )
    assert svc.incident_close(incident=incident, actor=staff).state == "closed"


def test_a_p2_closes_without_a_postmortem_and_a_postmortem_waits_for_resolution(staff):
    incident = open_incident("P2")
    with pytest.raises(DomainError):
        svc.postmortem_write(incident=incident, actor=staff, summary="s", impact="i", timeline="t", root_cause="r")
    svc.incident_acknowledge(incident=incident, actor=staff)
    svc.incident_transition(incident=incident, actor=staff, to_state="resolved")
    assert svc.incident_close(incident=incident, actor=staff).state == "closed"


def test_overdue_postmortems_and_action_items_are_listed(staff):
    incident = open_incident("P0")
    svc.incident_acknowledge(incident=incident, actor=staff, now=T0 + minutes(1))
    svc.incident_transition(incident=incident, actor=staff, to_state="resolved", now=T0 + minutes(60))
    resolved_at = T0 + minutes(60)
    assert list(postmortems_overdue(now=resolved_at + dt.timedelta(hours=71))) == []
    assert list(postmortems_overdue(now=resolved_at + dt.timedelta(hours=73))) == [incident]
    postmortem = svc.postmortem_write(
        incident=incident,
        actor=staff,
        summary="s",
        impact="i",
        timeline="t",
        root_cause="r",
        action_items=[
            {"description": "Late", "owner": staff, "due_on": dt.date(2026, 11, 5)},
            {"description": "Later", "owner": staff, "due_on": dt.date(2026, 11, 20)},
        ],
    )
    assert list(postmortems_overdue(now=resolved_at + dt.timedelta(hours=73))) == []
    on_nov_10 = dt.datetime(2026, 11, 10, 12, tzinfo=dt.UTC)
    assert [i.description for i in action_items_overdue(now=on_nov_10)] == ["Late"]
    svc.action_item_complete(item=postmortem.action_items.get(description="Late"))
    assert list(action_items_overdue(now=on_nov_10)) == []


def test_the_response_report_gives_minutes_to_acknowledge_and_resolve_per_month_and_severity(staff):
    for ack, resolve in ((10, 100), (20, 200)):
        incident = open_incident("P1", title=f"I{ack}")
        svc.incident_acknowledge(incident=incident, actor=staff, now=T0 + minutes(ack))
        svc.incident_transition(incident=incident, actor=staff, to_state="resolved", now=T0 + minutes(resolve))
    open_incident("P3")
    rows = incident_response_report(now=T0 + dt.timedelta(days=2))
    assert rows == [
        {"month": dt.date(2026, 11, 1), "severity": "P1", "count": 2, "ack_minutes": 15.0, "resolve_minutes": 150.0},
        {"month": dt.date(2026, 11, 1), "severity": "P3", "count": 1, "ack_minutes": None, "resolve_minutes": None},
    ]


@pytest.fixture
def escalation_path():
    """The seeded path (on-call +0, lead +30, CTO +120, executive +480 minutes), one person per step."""
    people = {}
    for step in EscalationStep.objects.order_by("order"):
        person = UserFactory(is_staff=True, email=f"{step.level}@example.com")
        step.recipients.add(person)
        people[step.level] = person
    return people


def test_escalation_follows_the_path_by_the_clock_and_sends_each_step_once(
    escalation_path, django_capture_on_commit_callbacks
):
    incident = open_incident("P0")  # respond in 15 min, resolve in 4 h
    assert [s.level for s in EscalationStep.objects.order_by("order")] == [
        "on_call", "engineering_lead", "cto", "executive",
    ]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert svc.incidents_escalate(now=T0 + minutes(14)) == 0
        assert svc.incidents_escalate(now=T0 + minutes(16)) == 1  # response missed: on-call
        assert svc.incidents_escalate(now=T0 + minutes(16)) == 0  # a second beat sends nothing again
        assert svc.incidents_escalate(now=T0 + minutes(44)) == 0
        assert svc.incidents_escalate(now=T0 + minutes(46)) == 1  # +30: engineering lead
        assert svc.incidents_escalate(now=T0 + minutes(136)) == 1  # +120: CTO
    sent = IncidentEscalation.objects.filter(incident=incident)
    assert sorted(sent.values_list("step__level", "clock")) == [
        ("cto", "response"), ("engineering_lead", "response"), ("on_call", "response"),
    ]  # fmt: skip
    # In the inbox and by e-mail (through the outbox), to each step's people only.
    notice = Notification.objects.get(recipient=escalation_path["on_call"], kind="incident_escalated")
    assert notice.text == "Incident “Renders stuck” (P0) is past its target and has been escalated to you."
    assert notice.target_url == reverse("admin:insights_incident_change", args=[incident.pk])
    assert not Notification.objects.filter(recipient=escalation_path["executive"]).exists()
    assert sorted(to for m in mail.outbox for to in m.to) == [
        "cto@example.com", "engineering_lead@example.com", "on_call@example.com",
    ]  # fmt: skip


def test_the_resolution_clock_escalates_on_its_own_and_stops_once_resolved(escalation_path, staff):
    incident = open_incident("P0")
    svc.incident_acknowledge(incident=incident, actor=staff, now=T0 + minutes(5))
    assert svc.incidents_escalate(now=T0 + minutes(60)) == 0
    assert svc.incidents_escalate(now=T0 + minutes(4 * 60 + 1)) == 1
    assert IncidentEscalation.objects.get().clock == "resolution"
    svc.incident_transition(incident=incident, actor=staff, to_state="resolved", now=T0 + minutes(4 * 60 + 10))
    assert svc.incidents_escalate(now=T0 + minutes(24 * 60)) == 0


def test_the_database_holds_each_step_to_once():
    from django.db import IntegrityError

    incident = open_incident("P0")
    step = EscalationStep.objects.first()
    IncidentEscalation.objects.create(incident=incident, step=step, clock="response")
    with pytest.raises(IntegrityError):
        IncidentEscalation.objects.create(incident=incident, step=step, clock="response")


def fire(episode_id: int, severity: str = "P1", **extra) -> None:
    alert_fired.send(
        sender="tests",
        episode_id=episode_id,
        rule_key="error_rate",
        severity=severity,
        title=extra.pop("title", "Error rate above 5 %"),
        started_at=extra.pop("started_at", T0),
    )


def test_one_incident_per_alert_episode_never_one_per_evaluation():
    fire(41)
    fire(41)  # the same episode again (a retried delivery, a second evaluation)
    fire(42, severity="P0", title="Database down")
    incidents = Incident.objects.filter(source="alert").order_by("source_id")
    assert [(i.source_id, i.severity.code, i.title, i.detected_at) for i in incidents] == [
        ("41", "P1", "Error rate above 5 %", T0),
        ("42", "P0", "Database down", T0),
    ]


def test_info_alerts_open_no_incident():
    fire(43, severity="info")
    assert not Incident.objects.exists()


def test_an_alert_clearing_is_noted_on_the_timeline_but_resolves_nothing():
    fire(44)
    alert_resolved.send(sender="tests", episode_id=44, resolved_at=T0 + minutes(20))
    incident = Incident.objects.get(source_id="44")
    assert incident.state == "detected"
    note = incident.updates.get(kind=IncidentUpdate.Kind.NOTE)
    assert note.created_at == T0 + minutes(20)
    alert_resolved.send(sender="tests", episode_id=999, resolved_at=T0)  # an episode without incident: nothing


def test_support_requests_open_one_incident_each(staff):
    first = svc.incident_open(title="Exports fail", severity="P2", actor=staff, source="support", source_id=7)
    again = svc.incident_open(title="Exports fail (2)", severity="P2", actor=staff, source="support", source_id=7)
    other = svc.incident_open(title="Exports fail", severity="P2", actor=staff, source="support", source_id=8)
    assert first.pk == again.pk != other.pk
    assert first.opened_by == staff
    with pytest.raises(DomainError):
        svc.incident_open(title="x", severity="P9")
    with pytest.raises(DomainError):
        svc.incident_open(title="x", severity="P2", components=["teleporter"])


def test_the_beat_escalates_every_minute_and_rolls_uptime_up_hourly():
    from django_celery_beat.models import PeriodicTask

    schedules = {t.task: (t.interval.every, t.interval.period) for t in PeriodicTask.objects.select_related("interval")}
    assert schedules["insights.incidents_escalate"] == (1, "minutes")
    assert schedules["insights.health_days_roll_up"] == (60, "minutes")
