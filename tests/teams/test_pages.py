"""The landing page, the dashboard shell and the settings page."""

import pytest
from django.urls import reverse

from insights.event_names import EventName
from insights.events import record_event

pytestmark = pytest.mark.django_db


def test_visitors_see_the_landing_page_with_the_sign_up_call(client):
    response = client.get(reverse("landing"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("account_signup") in html
    assert "htmx-2.0.8/htmx.min.js" in html
    assert "https://" not in html.split("<body")[0]  # no CDN in the head


def test_signed_in_people_go_from_the_landing_page_to_their_dashboard(creator_client):
    response = creator_client.get(reverse("landing"))
    assert response["Location"] == reverse("dashboard")


def test_the_dashboard_needs_a_sign_in(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_dashboard_counts_the_last_seven_days_from_the_event_log(creator_client, creator, outsider):
    for _ in range(3):
        record_event(name=EventName.USER_LOGGED_IN, actor=creator)
    record_event(name=EventName.USER_LOGGED_IN, actor=outsider)
    response = creator_client.get(reverse("dashboard"))
    assert response.context["activity_total"] == 3
    assert len(response.context["activity_counts"]) == 7
    assert response.context["activity_counts"][-1] == 3


def test_the_dashboard_has_an_empty_state(creator_client):
    response = creator_client.get(reverse("dashboard"))
    assert response.context["activity_total"] == 0
    assert 'class="empty"' in response.content.decode()


def test_the_dashboard_query_count_does_not_grow_with_activity(creator_client, creator, django_assert_max_num_queries):
    record_event(name=EventName.USER_LOGGED_IN, actor=creator)
    # The event activity, plus the engagement figures' four (tests/insights/test_creator_dashboard.py).
    with django_assert_max_num_queries(12) as few:
        creator_client.get(reverse("dashboard"))
    for _ in range(30):
        record_event(name=EventName.USER_LOGGED_IN, actor=creator)
    with django_assert_max_num_queries(len(few.captured_queries)):
        creator_client.get(reverse("dashboard"))


def test_settings_save_profile_language_and_time_zone(creator_client, creator):
    response = creator_client.post(
        reverse("account_settings"), {"display_name": "Cora C.", "language": "de", "time_zone": "Europe/Berlin"}
    )
    assert response.status_code == 302
    creator.refresh_from_db()
    assert (creator.display_name, creator.language, creator.time_zone) == ("Cora C.", "de", "Europe/Berlin")


def test_settings_refuse_an_unknown_time_zone(creator_client, creator):
    response = creator_client.post(reverse("account_settings"), {"display_name": "X", "time_zone": "Nowhere/City"})
    assert response.status_code == 200
    assert response.context["form"].errors["time_zone"]
    creator.refresh_from_db()
    assert creator.display_name == "Cora Creator"


def test_an_unknown_page_is_a_translated_404(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
