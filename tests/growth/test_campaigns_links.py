"""The signed links in a campaign mail: open pixel, tracked clicks (no open redirect), one-click
unsubscribe (RFC 8058), and the e-mail preferences page."""

import pytest
from django.urls import reverse

from growth.campaign_models import CampaignSend, EmailOptOut
from growth.email_links import BadLink, click_url, open_pixel_url, unsubscribe_url
from insights.event_names import EventName
from insights.models import Event
from tests.growth.campaigns import campaign, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(db) -> CampaignSend:
    someone = person(joined_days_ago=1, email="reader@example.com")
    return CampaignSend.objects.create(campaign=campaign("welcome"), user=someone, status=CampaignSend.Status.SENT)


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def tampered(url: str) -> str:
    """The same link with one character of its token changed."""
    head, token, tail = url.rsplit("/", 2)[0], url.rsplit("/", 2)[1], ""
    flipped = token[:-3] + ("A" if token[-3] != "A" else "B") + token[-2:]
    return f"{head}/{flipped}/{tail}"


def test_the_open_pixel_records_the_first_open_once(client, send):
    url = path_of(open_pixel_url(send.pk))
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "image/gif"
    client.get(url)
    send.refresh_from_db()
    assert send.opened_at is not None
    assert Event.objects.filter(name=EventName.EMAIL_OPENED, actor=send.user).count() == 1


def test_a_click_records_the_click_and_the_open_and_leads_to_the_page(client, send):
    response = client.get(path_of(click_url(send.pk, "/templates/")))
    assert response.status_code == 302
    assert response["Location"].endswith("/templates/")
    send.refresh_from_db()
    assert send.clicked_at is not None and send.opened_at is not None
    event = Event.objects.get(name=EventName.EMAIL_CLICKED, actor=send.user)
    assert event.payload["campaign"] == "welcome"


def test_a_tampered_link_is_refused_and_records_nothing(client, send):
    for url in (open_pixel_url(send.pk), click_url(send.pk, "/templates/")):
        assert client.get(path_of(tampered(url))).status_code == 404
    assert client.get(reverse("growth:email_click", args=["not-a-token"])).status_code == 404
    send.refresh_from_db()
    assert send.opened_at is None and send.clicked_at is None
    assert not Event.objects.filter(name__in=[EventName.EMAIL_OPENED, EventName.EMAIL_CLICKED]).exists()


def test_links_lead_only_to_our_site_or_the_allow_list(settings, client, send):
    with pytest.raises(BadLink):
        click_url(send.pk, "https://evil.example.net/phish")
    with pytest.raises(BadLink):
        click_url(send.pk, "//evil.example.net/")
    with pytest.raises(BadLink):
        click_url(send.pk, "javascript:alert(1)")
    settings.CAMPAIGN_LINK_ALLOWED_HOSTS = ["blog.example.org"]
    allowed = click_url(send.pk, "https://blog.example.org/spring")
    assert client.get(path_of(allowed))["Location"] == "https://blog.example.org/spring"
    # Taken off the allow-list, even a link we signed stops working.
    settings.CAMPAIGN_LINK_ALLOWED_HOSTS = []
    assert client.get(path_of(allowed)).status_code == 404


def test_one_click_unsubscribe_by_post_without_a_session_or_csrf_token(send):
    from django.test import Client

    mail_client = Client(enforce_csrf_checks=True)
    url = path_of(unsubscribe_url(user_id=send.user_id, category="tips", send_id=send.pk))
    response = mail_client.post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert EmailOptOut.objects.filter(user=send.user, category="tips").exists()
    send.refresh_from_db()
    assert send.unsubscribed_at is not None


def test_opening_the_unsubscribe_link_only_asks_a_prefetching_scanner_changes_nothing(client, send):
    url = path_of(unsubscribe_url(user_id=send.user_id, category="tips", send_id=send.pk))
    response = client.get(url)
    assert response.status_code == 200
    assert b"Unsubscribe" in response.content
    assert not EmailOptOut.objects.exists()
    confirmed = client.post(url)
    assert b'data-testid="unsubscribed"' in confirmed.content
    assert EmailOptOut.objects.filter(user=send.user, category="tips").count() == 1


def test_a_tampered_unsubscribe_link_is_refused(client, send):
    url = path_of(unsubscribe_url(user_id=send.user_id, category="tips", send_id=send.pk))
    assert client.post(tampered(url)).status_code == 404
    assert not EmailOptOut.objects.exists()


def test_the_preferences_page_chooses_categories(client_for, creator):
    client = client_for(creator)
    page = client.get(reverse("growth:email_preferences"))
    assert page.status_code == 200
    assert set(page.context["form"].initial["categories"]) == {"tips", "newsletter", "offers", "feedback"}
    client.post(reverse("growth:email_preferences"), {"categories": ["newsletter"]})
    assert set(EmailOptOut.objects.filter(user=creator).values_list("category", flat=True)) == {
        "tips",
        "offers",
        "feedback",
    }
    client.post(reverse("growth:email_preferences"), {"categories": ["newsletter", "tips"]})
    assert set(EmailOptOut.objects.filter(user=creator).values_list("category", flat=True)) == {"offers", "feedback"}


def test_the_preferences_page_needs_a_sign_in(client):
    response = client.get(reverse("growth:email_preferences"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_saving_preferences_is_rate_limited(settings, client_for, creator):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "email_preferences": "2/hour"},
    }
    client = client_for(creator)
    url = reverse("growth:email_preferences")
    statuses = [client.post(url, {"categories": ["tips"]}).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


def test_the_api_twin_of_the_preferences_page(creator, creator_api, api_client):
    answer = creator_api.get("/api/v1/growth/email-preferences/").json()
    assert sorted(answer["categories"]) == sorted(answer["available_categories"])
    saved = creator_api.put("/api/v1/growth/email-preferences/", {"categories": ["newsletter"]}, format="json")
    assert saved.status_code == 200 and saved.json()["categories"] == ["newsletter"]
    assert EmailOptOut.objects.filter(user=creator).count() == 3
    assert (
        creator_api.put("/api/v1/growth/email-preferences/", {"categories": ["spam"]}, format="json").status_code == 400
    )
    assert api_client.get("/api/v1/growth/email-preferences/").status_code in (401, 403)
