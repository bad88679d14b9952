from django.urls import path
from rest_framework.routers import SimpleRouter

from insights.api import nps_support
from insights.api.metrics_views import MetricDetailView, MetricListView
from insights.api.status import StatusView
from insights.api.views import WebhookDeliveryViewSet, WebhookEndpointViewSet, WebhookEventTypeListView

router = SimpleRouter()
router.register("webhooks/endpoints", WebhookEndpointViewSet, basename="api-webhook-endpoint")
router.register("webhooks/deliveries", WebhookDeliveryViewSet, basename="api-webhook-delivery")

urlpatterns = [
    path("metrics/", MetricListView.as_view(), name="api-metric-list"),
    path("metrics/<slug:name>/", MetricDetailView.as_view(), name="api-metric-detail"),
    path("status/", StatusView.as_view(), name="api-status"),
    path("webhooks/event-types/", WebhookEventTypeListView.as_view(), name="api-webhook-event-types"),
    path("nps/survey/", nps_support.NpsSurveyView.as_view(), name="api-nps-survey"),
    path("nps/answers/", nps_support.NpsAnswerView.as_view(), name="api-nps-answers"),
    path("nps/dismiss/", nps_support.NpsDismissView.as_view(), name="api-nps-dismiss"),
    path("support/requests/", nps_support.SupportRequestListView.as_view(), name="api-support-requests"),
    path("support/requests/<str:pk>/", nps_support.SupportRequestDetailView.as_view(), name="api-support-request"),
    path("support/requests/<str:pk>/replies/", nps_support.SupportReplyView.as_view(), name="api-support-replies"),
    *router.urls,
]
