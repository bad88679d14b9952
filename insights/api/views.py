"""Webhooks over the API: endpoints, their deliveries, tests, secret rotation and redelivery."""

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import NotFound
from config.throttling import WriteRateThrottle
from insights import services
from insights.api.serializers import (
    EventTypeSerializer,
    NewWebhookEndpointSerializer,
    SecretSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointCreateSerializer,
    WebhookEndpointSerializer,
    WebhookEndpointUpdateSerializer,
)
from insights.models import WebhookDelivery, WebhookEndpoint
from insights.permissions import webhook_delivery_get_for_user, webhook_endpoint_get_for_user, webhook_team_get_for_user
from insights.selectors import webhook_delivery_list_for_endpoint, webhook_endpoint_list_for_account


def _id(pk: str) -> int:
    if not str(pk).isdigit() or int(pk) > 2**63 - 1:
        raise NotFound()
    return int(pk)


class WebhookWriteThrottle(WriteRateThrottle):
    """Creating, changing, testing and redelivering, per person; reading is not counted."""

    scope = "webhooks"


CREATE_EXAMPLE = OpenApiExample(
    "Register an endpoint",
    request_only=True,
    value={"url": "https://example.com/hooks/video-creator", "events": ["video.created", "video.rendered"]},
)
CREATED_EXAMPLE = OpenApiExample(
    "The new endpoint, with its secret (shown once)",
    response_only=True,
    status_codes=["201"],
    value={
        "id": 7,
        "url": "https://example.com/hooks/video-creator",
        "description": "",
        "events": ["video.created", "video.rendered"],
        "team": None,
        "is_active": True,
        "disabled_reason": "",
        "disabled_at": None,
        "failing_since": None,
        "previous_secret_expires_at": None,
        "created_at": "2026-11-30T09:00:00Z",
        "updated_at": "2026-11-30T09:00:00Z",
        "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    },
)
DELIVERY_EXAMPLE = OpenApiExample(
    "A delivery",
    response_only=True,
    value={
        "id": 31,
        "endpoint": 7,
        "webhook_id": "msg_2b0f8a4c9d7e4f1a8c3b5d6e7f809112",
        "type": "video.created",
        "payload": {
            "type": "video.created",
            "timestamp": "2026-11-30T09:01:02.123456Z",
            "data": {"object": "video", "id": "42", "video_id": 42, "title": "Launch teaser"},
        },
        "status": "succeeded",
        "attempts": 1,
        "next_attempt_at": None,
        "last_attempt_at": "2026-11-30T09:01:02Z",
        "response_status": 200,
        "duration_ms": 84,
        "error": "",
        "created_at": "2026-11-30T09:01:02Z",
    },
)


@extend_schema(tags=["webhooks"])
class WebhookEndpointViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your webhook endpoints (or a team's, for its owners and admins). Deliveries follow Standard Webhooks."""

    serializer_class = WebhookEndpointSerializer
    queryset = WebhookEndpoint.objects.none()  # for the schema only; lookups go through insights.permissions
    throttle_classes = [*APIView.throttle_classes, WebhookWriteThrottle]

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        if getattr(self, "swagger_fake_view", False):
            return WebhookEndpoint.objects.none()
        slug = self.request.query_params.get("team", "")
        team = webhook_team_get_for_user(user=self.request.user, slug=slug) if slug else None
        return webhook_endpoint_list_for_account(user=self.request.user, team=team)

    def _endpoint(self, pk: str) -> WebhookEndpoint:
        return webhook_endpoint_get_for_user(user=self.request.user, endpoint_id=_id(pk))

    @extend_schema(
        parameters=[OpenApiParameter("team", str, description="A team's slug: that team's endpoints.")],
    )
    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=WebhookEndpointCreateSerializer,
        responses={201: NewWebhookEndpointSerializer},
        examples=[CREATE_EXAMPLE, CREATED_EXAMPLE],
    )
    def create(self, request: Request) -> Response:
        serializer = WebhookEndpointCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        team = webhook_team_get_for_user(user=request.user, slug=data["team"]) if data["team"] else None
        endpoint, secret = services.webhook_endpoint_create(
            actor=request.user, team=team, url=data["url"], event_types=data["events"], description=data["description"]
        )
        body = NewWebhookEndpointSerializer(endpoint).data
        body["secret"] = secret
        return Response(body, status=status.HTTP_201_CREATED)

    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(WebhookEndpointSerializer(self._endpoint(pk)).data)

    @extend_schema(request=WebhookEndpointUpdateSerializer, responses=WebhookEndpointSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        endpoint = self._endpoint(pk)
        serializer = WebhookEndpointUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "events" in data:
            data["event_types"] = data.pop("events")
        endpoint = services.webhook_endpoint_update(endpoint=endpoint, actor=request.user, **data)
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        services.webhook_endpoint_delete(endpoint=self._endpoint(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer}, examples=[DELIVERY_EXAMPLE])
    @action(detail=True, methods=["post"])
    def test(self, request: Request, pk: str) -> Response:
        """Send a `webhook.test` event to the endpoint now."""
        delivery = services.webhook_endpoint_send_test(endpoint=self._endpoint(pk), actor=request.user)
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=SecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        """A new secret, shown once; the previous one keeps signing for 24 hours."""
        endpoint = self._endpoint(pk)
        secret = services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
        endpoint.refresh_from_db()
        return Response({"secret": secret, "previous_secret_expires_at": endpoint.previous_secret_expires_at})

    @extend_schema(responses=WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, pk: str) -> Response:
        """The endpoint's deliveries, newest first."""
        page = self.paginate_queryset(webhook_delivery_list_for_endpoint(endpoint=self._endpoint(pk)))
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)


@extend_schema(tags=["webhooks"])
class WebhookDeliveryViewSet(viewsets.GenericViewSet):
    """One delivery, and sending it again with the same `webhook-id`."""

    serializer_class = WebhookDeliverySerializer
    queryset = WebhookDelivery.objects.none()
    throttle_classes = [*APIView.throttle_classes, WebhookWriteThrottle]

    @extend_schema(examples=[DELIVERY_EXAMPLE])
    def retrieve(self, request: Request, pk: str) -> Response:
        delivery = webhook_delivery_get_for_user(user=request.user, delivery_id=_id(pk))
        return Response(WebhookDeliverySerializer(delivery).data)

    @extend_schema(request=None, responses={202: WebhookDeliverySerializer})
    @action(detail=True, methods=["post"])
    def redeliver(self, request: Request, pk: str) -> Response:
        """Send the delivery again: same `webhook-id` and body, a fresh attempt schedule."""
        delivery = webhook_delivery_get_for_user(user=request.user, delivery_id=_id(pk))
        again = services.webhook_delivery_redeliver(delivery=delivery, actor=request.user)
        return Response(WebhookDeliverySerializer(again).data, status=status.HTTP_202_ACCEPTED)


@extend_schema(tags=["webhooks"], responses=EventTypeSerializer(many=True))
class WebhookEventTypeListView(APIView):
    """The event types an endpoint can subscribe to."""

    def get(self, request: Request) -> Response:
        return Response(EventTypeSerializer.rows())
