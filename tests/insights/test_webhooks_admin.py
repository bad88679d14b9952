"""The ops console's webhook actions go through the services."""

import pytest
from django.urls import reverse

from insights.models import WebhookDelivery, WebhookEndpoint
from insights.services import webhook_endpoint_create, webhook_endpoint_send_test

pytestmark = pytest.mark.django_db


def test_staff_turn_off_test_and_redeliver_through_the_services(staff_client, creator, team):
    endpoint, _secret = webhook_endpoint_create(
        actor=creator, team=team, url="http://127.0.0.1:9/hook", event_types=["video.created"]
    )
    changelist = reverse("admin:insights_webhookendpoint_changelist")
    staff_client.post(changelist, {"action": "send_test", "_selected_action": [endpoint.pk]})
    delivery = WebhookDelivery.objects.get()
    staff_client.post(
        reverse("admin:insights_webhookdelivery_changelist"),
        {"action": "redeliver", "_selected_action": [delivery.pk]},
    )
    assert WebhookDelivery.objects.filter(message_id=delivery.message_id).count() == 2
    staff_client.post(changelist, {"action": "turn_off", "_selected_action": [endpoint.pk]})
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.disabled_reason) == (False, "manual")
    # A test to a turned-off endpoint is refused by the service, shown as a message.
    answer = staff_client.post(changelist, {"action": "send_test", "_selected_action": [endpoint.pk]}, follow=True)
    assert "Turn the endpoint on" in answer.content.decode()
    staff_client.post(changelist, {"action": "delete_with_log", "_selected_action": [endpoint.pk]})
    assert not WebhookEndpoint.objects.exists()


def test_the_secret_never_appears_in_the_console(staff_client, creator):
    endpoint, secret = webhook_endpoint_create(
        actor=creator, team=None, url="http://127.0.0.1:9/hook", event_types=["video.created"]
    )
    webhook_endpoint_send_test(endpoint=endpoint, actor=creator)
    page = staff_client.get(reverse("admin:insights_webhookendpoint_change", args=[endpoint.pk])).content.decode()
    assert secret not in page and endpoint.secret_sealed not in page
