from django.urls import path
from rest_framework.routers import SimpleRouter

from insights.api.metrics_views import MetricDetailView, MetricListView
from insights.api.views import WebhookDeliveryViewSet, WebhookEndpointViewSet, WebhookEventTypeListView

router = SimpleRouter()
router.register("webhooks/endpoints", WebhookEndpointViewSet, basename="api-webhook-endpoint")
router.register("webhooks/deliveries", WebhookDeliveryViewSet, basename="api-webhook-delivery")

urlpatterns = [
    path("metrics/", MetricListView.as_view(), name="api-metric-list"),
    path("metrics/<slug:name>/", MetricDetailView.as_view(), name="api-metric-detail"),
    path("webhooks/event-types/", WebhookEventTypeListView.as_view(), name="api-webhook-event-types"),
    *router.urls,
]
