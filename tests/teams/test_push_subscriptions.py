"""Subscribing browsers (session + CSRF for the page's script, tokens for the API), forgetting them,
the service worker's shown/clicked reports with signed tokens, the rate limits, and /sw.js."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from teams.models import PushDelivery, PushSubscription
from teams.notification_kinds import NotificationKind
from teams.services.push import push_token_for
from tests.factories import UserFactory
from tests.teams.push_service import Browser

pytestmark = pytest.mark.django_db

URL = "/api/v1/push/subscriptions/"
BEACONS = "/api/v1/push/beacons/"


def browser(name="laptop") -> Browser:
    return Browser(endpoint=f"http://127.0.0.1:9/push/{name}")


def test_a_browser_subscribes_and_its_keys_are_sealed_at_rest(creator, creator_api):
    laptop = browser()
    answer = creator_api.post(URL, laptop.subscription(), format="json", HTTP_USER_AGENT="Firefox/140")
    assert answer.status_code == 201, answer.content
    subscription = PushSubscription.objects.get(user=creator)
    assert (subscription.endpoint, subscription.user_agent) == (laptop.endpoint, "Firefox/140")
    assert (subscription.p256dh, subscription.auth) == (laptop.p256dh, laptop.auth)
    assert laptop.p256dh not in subscription.p256dh_sealed
    assert laptop.auth not in subscription.auth_sealed


def test_one_person_may_have_several_browsers_and_subscribing_again_refreshes(creator, creator_api):
    laptop, phone = browser("laptop"), browser("phone")
    creator_api.post(URL, laptop.subscription(), format="json")
    creator_api.post(URL, phone.subscription(), format="json")
    renewed = Browser(endpoint=laptop.endpoint)  # the same endpoint with new keys
    creator_api.post(URL, renewed.subscription(), format="json")
    assert PushSubscription.objects.filter(user=creator).count() == 2
    assert PushSubscription.objects.get(endpoint=laptop.endpoint).p256dh == renewed.p256dh


def test_a_browser_belongs_to_whoever_subscribed_it_last(creator, creator_api, outsider, outsider_api):
    shared = browser("shared")
    creator_api.post(URL, shared.subscription(), format="json")
    outsider_api.post(URL, shared.subscription(), format="json")
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [outsider.pk]


def test_the_page_script_needs_its_csrf_token(creator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(creator)
    refused = client.post(URL, browser().subscription(), content_type="application/json")
    assert refused.status_code == 403
    page = client.get(reverse("notification_settings"))
    token = page.cookies["csrftoken"].value
    accepted = client.post(URL, browser().subscription(), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201


def test_signed_out_callers_cannot_subscribe(api_client):
    assert api_client.post(URL, browser().subscription(), format="json").status_code == 401


@pytest.mark.parametrize(
    "change",
    [
        {"endpoint": "http://10.0.0.7/push/x"},  # a private address: the SSRF guard refuses it
        {"endpoint": "ftp://127.0.0.1/push/x"},
        {"keys": {"p256dh": "bm90LWEta2V5", "auth": "c2VjcmV0"}},
    ],
)
def test_unusable_subscriptions_are_refused(change, creator_api):
    body = {**browser().subscription(), **change}
    answer = creator_api.post(URL, body, format="json")
    assert answer.status_code == 400, answer.content
    assert not PushSubscription.objects.exists()


def test_only_the_owner_can_forget_a_browser(creator, creator_api, outsider_api):
    laptop = browser()
    creator_api.post(URL, laptop.subscription(), format="json")
    assert outsider_api.delete(URL, {"endpoint": laptop.endpoint}, format="json").status_code == 404
    assert PushSubscription.objects.filter(user=creator).exists()
    assert creator_api.delete(URL, {"endpoint": laptop.endpoint}, format="json").status_code == 204
    assert not PushSubscription.objects.exists()
    assert creator_api.delete(URL, {"endpoint": laptop.endpoint}, format="json").status_code == 404


def test_subscribing_is_rate_limited_per_person(creator_api, outsider_api, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "push_subscriptions": "2/hour"},
    }
    codes = [creator_api.post(URL, browser(f"b{n}").subscription(), format="json").status_code for n in range(3)]
    assert codes == [201, 201, 429]
    assert creator_api.delete(URL, {"endpoint": browser("b0").endpoint}, format="json").status_code == 429
    # Someone else's count is their own.
    assert outsider_api.post(URL, browser("other").subscription(), format="json").status_code == 201


def delivery_for(user) -> PushDelivery:
    return PushDelivery.objects.create(
        user=user, kind=NotificationKind.MENTION, status=PushDelivery.Status.SENT, params={}
    )


def test_the_service_worker_reports_shown_then_clicked(creator, api_client):
    delivery = delivery_for(creator)
    token = push_token_for(delivery_id=delivery.pk)
    assert api_client.post(BEACONS, {"token": token, "event": "shown"}, format="json").status_code == 204
    delivery.refresh_from_db()
    assert delivery.shown_at is not None and delivery.clicked_at is None
    shown_at = delivery.shown_at
    assert api_client.post(BEACONS, {"token": token, "event": "clicked"}, format="json").status_code == 204
    assert api_client.post(BEACONS, {"token": token, "event": "shown"}, format="json").status_code == 204
    delivery.refresh_from_db()
    assert delivery.clicked_at is not None
    assert delivery.shown_at == shown_at  # the first report counts; repeats change nothing


def test_a_click_counts_as_shown_too(creator, api_client):
    delivery = delivery_for(creator)
    api_client.post(BEACONS, {"token": push_token_for(delivery_id=delivery.pk), "event": "clicked"}, format="json")
    delivery.refresh_from_db()
    assert delivery.shown_at is not None and delivery.clicked_at is not None


def test_a_tampered_or_foreign_token_is_refused(creator, api_client):
    delivery = delivery_for(creator)
    token = push_token_for(delivery_id=delivery.pk)
    other = delivery_for(UserFactory())
    # Another delivery's id under this token's timestamp and signature.
    other_payload = push_token_for(delivery_id=other.pk).split(":", 1)[0]
    forged = other_payload + ":" + token.split(":", 1)[1]
    assert forged != token
    for bad in (token[:-2] + "xx", forged, signing.dumps(other.pk, salt="another-purpose")):
        answer = api_client.post(BEACONS, {"token": bad, "event": "clicked"}, format="json")
        assert answer.status_code == 400
        assert answer.json() == {"token": ["This report is not signed by us."]}
    assert api_client.post(BEACONS, {"token": token, "event": "opened"}, format="json").status_code == 400
    assert not PushDelivery.objects.exclude(shown_at=None).exists()


def test_reports_need_no_session_but_are_rate_limited(creator, creator_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "push_beacons": "2/hour"},
    }
    token = push_token_for(delivery_id=delivery_for(creator).pk)
    # A service worker's fetch may carry the session cookie, without a CSRF token: still accepted.
    codes = [
        creator_client.post(BEACONS, {"token": token, "event": "shown"}, content_type="application/json").status_code
        for _ in range(3)
    ]
    assert codes == [204, 204, 429]


def test_the_service_worker_is_served_for_the_whole_site(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/javascript")
    assert answer["Service-Worker-Allowed"] == "/"
    body = answer.content.decode()
    assert BEACONS in body
    assert "self.location.origin" in body  # clicks open pages of this site only
