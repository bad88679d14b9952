"""The incident console: everything staff do goes through the services."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from insights.incident_models import ActionItem, Incident, IncidentUpdate, PostMortem, Severity
from insights.services import incidents as svc

pytestmark = pytest.mark.django_db


def test_staff_open_an_incident_with_a_public_message(staff_client, staff):
    answer = staff_client.post(
        reverse("admin:insights_incident_add"),
        {
            "title": "Uploads fail",
            "severity": Severity.objects.get(code="P1").pk,
            "components": ["web", "api"],
            "new_update": "Uploads fail for some people; we are on it.",
            "new_update_public": "on",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    incident = Incident.objects.get()
    assert (incident.opened_by, incident.components, incident.state) == (staff, ["web", "api"], "detected")
    assert incident.updates.filter(kind=IncidentUpdate.Kind.PUBLIC).get().body.startswith("Uploads fail")

    change_url = reverse("admin:insights_incident_change", args=[incident.pk])
    page = staff_client.get(change_url).content.decode()
    assert "Uploads fail for some people" in page  # the timeline
    changed = staff_client.post(
        change_url,
        {
            "title": "Uploads fail on Safari",
            "severity": Severity.objects.get(code="P2").pk,
            "components": ["web"],
            "new_update": "Only Safari is affected.",
            "new_update_public": "on",
        },
    )
    assert changed.status_code == 302
    incident.refresh_from_db()
    assert (incident.title, incident.severity.code, incident.components) == ("Uploads fail on Safari", "P2", ["web"])
    assert incident.updates.filter(kind=IncidentUpdate.Kind.PUBLIC).count() == 2


def test_the_list_highlights_incidents_past_their_target_and_filters_them(staff_client):
    late = svc.incident_open(title="Old and late", severity="P0", detected_at=timezone.now() - dt.timedelta(hours=1))
    svc.incident_open(title="Fresh", severity="P3")
    body = staff_client.get(reverse("admin:insights_incident_changelist")).content.decode()
    assert "Response overdue" in body
    overdue = staff_client.get(reverse("admin:insights_incident_changelist"), {"overdue": "yes"})
    assert list(overdue.context["cl"].result_list) == [late]
    by_severity = staff_client.get(
        reverse("admin:insights_incident_changelist"), {"severity__id__exact": Severity.objects.get(code="P3").pk}
    )
    assert [i.title for i in by_severity.context["cl"].result_list] == ["Fresh"]


def test_actions_move_incidents_through_the_workflow_and_refuse_what_the_rules_refuse(staff_client, staff):
    incident = svc.incident_open(title="Mail slow", severity="P1")
    url = reverse("admin:insights_incident_changelist")

    def act(action: str):
        return staff_client.post(url, {"action": action, "_selected_action": [incident.pk]}, follow=True)

    act("acknowledge")
    incident.refresh_from_db()
    assert (incident.state, incident.commander) == ("acknowledged", staff)
    act("resolve")
    answer = act("close")  # a P1 needs its post-mortem first
    assert "post-mortem" in answer.content.decode()
    incident.refresh_from_db()
    assert incident.state == "resolved"
    refused = act("investigating")  # resolved goes only to closed
    assert "cannot become" in refused.content.decode()


def test_a_postmortem_is_written_with_action_items_in_the_console(staff_client, staff):
    incident = svc.incident_open(title="Renders stuck", severity="P0")
    svc.incident_acknowledge(incident=incident, actor=staff)
    svc.incident_transition(incident=incident, actor=staff, to_state="resolved")
    answer = staff_client.post(
        reverse("admin:insights_postmortem_add"),
        {
            "incident": incident.pk,
            "summary": "Renders waited.",
            "impact": "40 late renders.",
            "timeline": "12:00 detected, 13:00 fixed.",
            "root_cause": "A deploy restarted workers too early.",
            "went_well": "The alert.",
            "action_items-TOTAL_FORMS": "2",
            "action_items-INITIAL_FORMS": "0",
            "action_items-MIN_NUM_FORMS": "0",
            "action_items-MAX_NUM_FORMS": "1000",
            "action_items-0-description": "Wait for the broker in deploys",
            "action_items-0-owner": staff.pk,
            "action_items-0-due_on": "2026-12-15",
            "action_items-1-description": "",
            "action_items-1-owner": "",
            "action_items-1-due_on": "",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    postmortem = PostMortem.objects.get(incident=incident)
    assert postmortem.author == staff
    assert list(ActionItem.objects.values_list("description", "owner", "due_on")) == [
        ("Wait for the broker in deploys", staff.pk, dt.date(2026, 12, 15))
    ]
    assert svc.incident_close(incident=incident, actor=staff).state == "closed"


def test_the_report_page_shows_the_figures_as_a_table_beside_the_chart(staff_client, staff):
    incident = svc.incident_open(title="x", severity="P2", detected_at=timezone.now() - dt.timedelta(hours=2))
    svc.incident_acknowledge(incident=incident, actor=staff, now=incident.detected_at + dt.timedelta(minutes=30))
    body = staff_client.get(reverse("admin:insights_incident_report")).content.decode()
    assert "incident-report-chart" in body and "<table>" in body
    assert "<td>P2</td><td>1</td><td>30.0</td>" in body


def test_view_only_staff_see_the_report_but_not_the_actions(client_for, staff):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_incident"))
    svc.incident_open(title="x", severity="P2")
    answer = client_for(viewer).get(reverse("admin:insights_incident_changelist"))
    assert answer.status_code == 200
    assert answer.context["action_form"] is None  # no action: each needs the change permission
