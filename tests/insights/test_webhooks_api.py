"""The webhook API and pages: who may manage which endpoint, the secret shown once, tests and redelivery."""

import pytest
from django.urls import reverse
from standardwebhooks.webhooks import Webhook

from insights.models import WebhookDelivery, WebhookEndpoint
from insights.services import webhook_endpoint_create
from tests.receiver import Receiver

pytestmark = pytest.mark.django_db

LIST = "/api/v1/webhooks/endpoints/"


def create(api, url="http://127.0.0.1:9/hook", **extra):
    return api.post(LIST, {"url": url, "events": ["video.created"], **extra}, format="json")


def test_creating_an_endpoint_shows_its_secret_once(creator_api):
    answer = create(creator_api)
    assert answer.status_code == 201, answer.json()
    secret = answer.json()["secret"]
    assert secret.startswith("whsec_")
    endpoint_id = answer.json()["id"]
    again = creator_api.get(f"{LIST}{endpoint_id}/").json()
    assert "secret" not in again
    assert secret not in str(creator_api.get(LIST).json())


@pytest.mark.parametrize(
    ("url", "events"),
    [
        ("http://10.0.0.1/hook", ["video.created"]),
        ("https://169.254.169.254/latest", ["video.created"]),
        ("ftp://127.0.0.1/hook", ["video.created"]),
        ("http://127.0.0.1:9/hook", ["video.exploded"]),
        ("http://127.0.0.1:9/hook", []),
    ],
)
def test_unsafe_urls_and_unknown_events_are_refused(creator_api, url, events):
    answer = creator_api.post(LIST, {"url": url, "events": events}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) & {"url", "events"}
    assert not WebhookEndpoint.objects.exists()


def test_production_refuses_loopback_at_registration(creator_api, settings):
    settings.SAFE_HTTP_ALLOW_LOOPBACK = False
    answer = create(creator_api, url="https://localhost/hook")
    assert answer.status_code == 400
    assert "url" in answer.json()


def test_another_users_endpoint_and_delivery_are_not_found(creator, outsider_api, creator_api):
    endpoint_id = create(creator_api).json()["id"]
    delivery_id = creator_api.post(f"{LIST}{endpoint_id}/test/").json()["id"]
    assert outsider_api.get(f"{LIST}{endpoint_id}/").status_code == 404
    assert outsider_api.patch(f"{LIST}{endpoint_id}/", {"description": "x"}, format="json").status_code == 404
    assert outsider_api.delete(f"{LIST}{endpoint_id}/").status_code == 404
    assert outsider_api.post(f"{LIST}{endpoint_id}/rotate-secret/").status_code == 404
    assert outsider_api.get(f"{LIST}{endpoint_id}/deliveries/").status_code == 404
    assert outsider_api.post(f"/api/v1/webhooks/deliveries/{delivery_id}/redeliver/").status_code == 404
    assert outsider_api.get(LIST).json()["results"] == []


@pytest.mark.parametrize(
    ("person", "expected"),
    [("creator", 200), ("team_admin", 200), ("editor", 403), ("viewer", 403), ("outsider", 404)],
)
def test_team_endpoints_are_managed_by_owners_and_admins(request, api_client_for, team, creator, person, expected):
    endpoint, _secret = webhook_endpoint_create(
        actor=creator, team=team, url="http://127.0.0.1:9/hook", event_types=["video.created"]
    )
    api = api_client_for(request.getfixturevalue(person))
    assert api.get(f"{LIST}{endpoint.pk}/").status_code == expected
    created = create(api, team=team.slug)
    assert created.status_code == (201 if expected == 200 else expected)


def test_update_test_rotate_and_redeliver(creator_api, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        created = create(creator_api, url=receiver.url).json()
        endpoint_id, first_secret = created["id"], created["secret"]
        changed = creator_api.patch(
            f"{LIST}{endpoint_id}/", {"events": ["video.deleted", "video.created"]}, format="json"
        )
        assert changed.json()["events"] == ["video.created", "video.deleted"]
        with django_capture_on_commit_callbacks(execute=True):
            sent = creator_api.post(f"{LIST}{endpoint_id}/test/")
        assert sent.status_code == 202
        rotated = creator_api.post(f"{LIST}{endpoint_id}/rotate-secret/").json()
        assert rotated["secret"] != first_secret
        with django_capture_on_commit_callbacks(execute=True):
            again = creator_api.post(f"/api/v1/webhooks/deliveries/{sent.json()['id']}/redeliver/")
        assert again.status_code == 202
        deliveries = creator_api.get(f"{LIST}{endpoint_id}/deliveries/").json()["results"]
    assert [d["status"] for d in deliveries] == ["succeeded", "succeeded"]
    assert len({d["webhook_id"] for d in deliveries}) == 1
    first, second = receiver.received
    assert Webhook(first_secret).verify(first.body, first.headers)["type"] == "webhook.test"
    # After the rotation both the old and the new secret verify.
    assert Webhook(first_secret).verify(second.body, second.headers)
    assert Webhook(rotated["secret"]).verify(second.body, second.headers)


def test_turning_an_endpoint_off_and_deleting_it(creator_api):
    endpoint_id = create(creator_api).json()["id"]
    off = creator_api.patch(f"{LIST}{endpoint_id}/", {"is_active": False}, format="json").json()
    assert (off["is_active"], off["disabled_reason"]) == (False, "manual")
    assert creator_api.post(f"{LIST}{endpoint_id}/test/").status_code == 400
    assert creator_api.delete(f"{LIST}{endpoint_id}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_the_event_types_are_listed(creator_api):
    names = [row["name"] for row in creator_api.get("/api/v1/webhooks/event-types/").json()]
    assert "video.created" in names and "payment.failed" in names


def test_the_endpoint_list_costs_a_fixed_number_of_queries(creator, creator_api, django_assert_max_num_queries):
    for n in range(5):
        webhook_endpoint_create(actor=creator, team=None, url=f"http://127.0.0.1:9/{n}", event_types=["video.created"])
    with django_assert_max_num_queries(6):
        assert len(creator_api.get(LIST).json()["results"]) == 5


def test_the_pages_list_create_show_the_secret_once_and_act(
    creator, creator_client, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        answer = creator_client.post(
            reverse("webhook-endpoint-list"), {"url": receiver.url, "events": ["video.created"], "description": "CI"}
        )
        endpoint = WebhookEndpoint.objects.get()
        assert answer.status_code == 302
        page = creator_client.get(reverse("webhook-endpoint-detail", args=[endpoint.pk])).content.decode()
        assert endpoint.secret in page
        assert (
            endpoint.secret
            not in creator_client.get(reverse("webhook-endpoint-detail", args=[endpoint.pk])).content.decode()
        )
        with django_capture_on_commit_callbacks(execute=True):
            creator_client.post(reverse("webhook-endpoint-test", args=[endpoint.pk]))
        delivery = WebhookDelivery.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            creator_client.post(reverse("webhook-delivery-redeliver", args=[delivery.pk]))
    assert len(receiver.received) == 2
    page = creator_client.get(reverse("webhook-endpoint-detail", args=[endpoint.pk])).content.decode()
    assert "100.0 %" in page  # success rate
    listing = creator_client.get(reverse("webhook-endpoint-list")).content.decode()
    assert receiver.url in listing and "100.0 %" in listing


def test_the_pages_refuse_unsafe_urls_in_the_form(creator_client, settings):
    settings.SAFE_HTTP_ALLOW_LOOPBACK = False
    answer = creator_client.post(
        reverse("webhook-endpoint-list"), {"url": "https://127.0.0.1/hook", "events": ["video.created"]}
    )
    assert answer.status_code == 200
    assert "private or reserved" in answer.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_another_users_endpoint_page_is_not_found(creator, outsider, client_for):
    endpoint, _secret = webhook_endpoint_create(
        actor=creator, team=None, url="http://127.0.0.1:9/hook", event_types=["video.created"]
    )
    client = client_for(outsider)
    assert client.get(reverse("webhook-endpoint-detail", args=[endpoint.pk])).status_code == 404
    assert client.post(reverse("webhook-endpoint-delete", args=[endpoint.pk])).status_code == 404
    assert WebhookEndpoint.objects.exists()


def test_the_demo_loader_adds_an_endpoint_with_history_once(creator, staff):
    from insights.demo import load

    load(creator=creator, staff=staff)
    load(creator=creator, staff=staff)
    endpoint = WebhookEndpoint.objects.get(owner=creator)
    assert endpoint.deliveries.count() == 5
    assert {d.status for d in endpoint.deliveries.all()} == {"succeeded", "failed", "pending"}
