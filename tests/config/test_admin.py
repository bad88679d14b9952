"""Django Admin is the ops console: every registered model's screens load for staff, cheaply."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from insights.event_names import EventName
from insights.events import record_event
from teams.models import OutboundEmail
from tests.config.admin_rows import ROW_MAKERS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry)
SEARCHES = {"all": {}, "search": {"q": "example"}}


def test_the_console_is_branded(staff_client):
    response = staff_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Video Creator ops console" in response.content.decode()


def test_people_who_are_not_staff_are_sent_to_sign_in(creator_client):
    response = creator_client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_every_registered_model_has_a_row_maker_for_the_query_count_test():
    assert sorted(ROW_MAKERS) == REGISTERED


@pytest.mark.parametrize("model", REGISTERED)
def test_every_changelist_loads_with_search_and_a_fixed_query_count(staff_client, model, django_assert_num_queries):
    """One row or many, with a search or without: a changelist costs the same number of queries."""
    app_label, model_name = model.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    make_row = ROW_MAKERS[model]
    make_row(0)
    staff_client.get(url)  # fills what is cached once per process (content types, the current site)

    def cost(params: dict[str, str]) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(url, params).status_code == 200
        return len(queries)

    with_one_row = {search: cost(params) for search, params in SEARCHES.items()}
    for n in range(1, 6):
        make_row(n)
    for search, params in SEARCHES.items():
        with django_assert_num_queries(with_one_row[search]):
            assert staff_client.get(url, params).status_code == 200


def test_user_and_event_lists_do_not_grow_queries_with_rows(staff_client, django_assert_max_num_queries):
    def fill(n: int) -> None:
        for _ in range(n):
            user = UserFactory()
            record_event(name=EventName.USER_SIGNED_UP, actor=user, subject=user)

    fill(2)
    with django_assert_max_num_queries(12) as few:
        staff_client.get(reverse("admin:insights_event_changelist"))
    fill(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        staff_client.get(reverse("admin:insights_event_changelist"))
    with django_assert_max_num_queries(12):
        staff_client.get(reverse("admin:teams_user_changelist"))


def test_the_event_log_is_read_only(staff_client, creator):
    event = record_event(name=EventName.USER_LOGGED_IN, actor=creator)
    assert staff_client.get(reverse("admin:insights_event_add")).status_code == 403
    response = staff_client.post(reverse("admin:insights_event_change", args=[event.pk]), {"name": "video.deleted"})
    event.refresh_from_db()
    assert event.name == "user.logged_in"
    assert response.status_code == 403


def test_staff_resend_failed_mail_from_the_console(staff_client, django_capture_on_commit_callbacks):
    from django.core import mail

    failed = OutboundEmail(to=["a@example.com"], from_email="x@example.com", subject="Bounced", status="failed")
    failed.seal(text="b")
    failed.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:teams_outboundemail_changelist"),
            {"action": "resend", "_selected_action": [failed.pk]},
            follow=True,
        )
    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.status == "sent"
    assert [m.subject for m in mail.outbox] == ["Bounced"]
