from django.urls import path
from rest_framework.routers import SimpleRouter

from insights.api.status import StatusView
from insights.api.views import WebhookDeliveryViewSet, WebhookEndpointViewSet, WebhookEventTypeListView

router = SimpleRouter()
router.register("webhooks/endpoints", WebhookEndpointViewSet, basename="api-webhook-endpoint")
router.register("webhooks/deliveries", WebhookDeliveryViewSet, basename="api-webhook-delivery")

urlpatterns = [
    path("status/", StatusView.as_view(), name="api-status"),
    path("webhooks/event-types/", WebhookEventTypeListView.as_view(), name="api-webhook-event-types"),
    *router.urls,
]
