"""Support triage in the ops console: status, assignee and replies through the services; the thread
and the most frequent categories on view."""

import pytest
from django.core import mail
from django.urls import reverse

from insights.models import SupportMessage, SupportRequest
from insights.services.support import support_request_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def support_request(creator):
    return support_request_create(
        user=creator, category="billing", subject="Invoice address", message="Please add my company name."
    )


def test_the_change_form_shows_the_thread_and_offers_only_status_assignee_and_reply(staff_client, support_request):
    page = staff_client.get(reverse("admin:insights_supportrequest_change", args=[support_request.pk]))
    assert page.status_code == 200
    assert list(page.context["adminform"].form.fields) == ["status", "assignee", "reply"]
    assert "Please add my company name." in page.content.decode()


def test_a_reply_from_the_console_is_emailed_and_kept(
    staff_client, staff, creator, support_request, django_capture_on_commit_callbacks
):
    creator.language = "fr"
    creator.save(update_fields=["language"])
    url = reverse("admin:insights_supportrequest_change", args=[support_request.pk])
    with django_capture_on_commit_callbacks(execute=True):
        answer = staff_client.post(
            url, {"status": "in_progress", "assignee": staff.pk, "reply": "Done, see your next invoice."}
        )
    assert answer.status_code == 302
    support_request.refresh_from_db()
    # A reply puts the request in the person's court.
    assert (support_request.status, support_request.assignee) == ("waiting", staff)
    assert list(SupportMessage.objects.filter(request=support_request).values_list("from_staff", flat=True)) == [
        False,
        True,
    ]
    [message] = mail.outbox
    assert message.to == [creator.email]
    assert '<html lang="fr"' in message.alternatives[0][0]


def test_triage_without_a_reply_sends_nothing_and_assignees_are_staff_only(staff_client, support_request):
    url = reverse("admin:insights_supportrequest_change", args=[support_request.pk])
    staff_client.post(url, {"status": "resolved", "assignee": "", "reply": ""})
    support_request.refresh_from_db()
    assert support_request.status == "resolved"
    assert mail.outbox == []
    refused = staff_client.post(url, {"status": "open", "assignee": UserFactory().pk, "reply": ""})
    assert refused.status_code == 200
    support_request.refresh_from_db()
    assert support_request.status == "resolved"


def test_the_list_counts_the_most_frequent_categories(staff_client, creator, outsider):
    for user, category in ((creator, "bug"), (outsider, "bug"), (creator, "billing")):
        SupportRequest.objects.create(user=user, category=category, subject="x")
    page = staff_client.get(reverse("admin:insights_supportrequest_changelist"))
    assert page.context["top_categories"] == [("Something is broken", 2), ("Billing and plans", 1)]
    assert 'data-testid="support-top-categories"' in page.content.decode()


def test_the_console_neither_adds_nor_deletes_requests(staff_client, support_request):
    assert staff_client.get(reverse("admin:insights_supportrequest_add")).status_code == 403
    delete = reverse("admin:insights_supportrequest_delete", args=[support_request.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    assert SupportRequest.objects.filter(pk=support_request.pk).exists()


def test_staff_open_one_incident_from_a_support_request(staff_client, staff, support_request):
    from insights.models import Incident

    url = reverse("admin:insights_supportrequest_changelist")
    for _ in range(2):
        answer = staff_client.post(url, {"action": "open_incident", "_selected_action": [support_request.pk]})
        assert answer.status_code == 302
    incident = Incident.objects.get()
    assert (incident.source, incident.source_id) == ("support", str(support_request.pk))
    assert incident.title == "Support: Invoice address"
    assert incident.severity.code == "P2"
    assert incident.opened_by == staff
