"""Web push over the API: the page's script (session and CSRF) and API clients (token) alike.

Subscriptions are addressed by the browser's endpoint, which is what a browser knows about itself;
another person's endpoint is a 404. The service worker's reports carry a signed token instead of a
session, so they need neither a cookie nor CSRF.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.throttling import ScopeRateThrottle
from teams import services
from teams.permissions import push_subscription_get_for_user
from teams.services.push import BEACON_EVENTS


class PushKeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField(max_length=200, help_text=_("The browser's P-256 public key, base64url."))
    auth = serializers.CharField(max_length=100, help_text=_("The browser's 16-byte auth secret, base64url."))


class PushSubscriptionSerializer(serializers.Serializer):
    """The browser's `PushSubscription.toJSON()`."""

    endpoint = serializers.URLField(max_length=2000)
    keys = PushKeysSerializer()
    expirationTime = serializers.IntegerField(required=False, allow_null=True)


class PushSubscriptionAnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    endpoint = serializers.URLField()
    created_at = serializers.DateTimeField()


class PushEndpointSerializer(serializers.Serializer):
    endpoint = serializers.URLField(max_length=2000)


class PushBeaconSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=500)
    event = serializers.ChoiceField(choices=BEACON_EVENTS)


SUBSCRIPTION_EXAMPLE = OpenApiExample(
    "A browser's subscription",
    value={
        "endpoint": "https://fcm.googleapis.com/fcm/send/dpH5lCsTSSM:APA91bH…",
        "keys": {
            "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
            "auth": "tBHItJI5svbpez7KI4CCXg",
        },
    },
    request_only=True,
)


class PushSubscriptionView(APIView):
    """This browser's push subscription: register it (POST) or forget it (DELETE)."""

    @extend_schema(
        request=PushSubscriptionSerializer,
        responses={201: PushSubscriptionAnswerSerializer},
        examples=[SUBSCRIPTION_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        serializer = PushSubscriptionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subscription = services.push_subscription_save(
            user=request.user,
            endpoint=data["endpoint"],
            p256dh=data["keys"]["p256dh"],
            auth=data["keys"]["auth"],
            user_agent=request.headers.get("User-Agent", ""),
        )
        answer = {"id": subscription.pk, "endpoint": subscription.endpoint, "created_at": subscription.created_at}
        return Response(PushSubscriptionAnswerSerializer(answer).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PushEndpointSerializer, responses={204: None})
    def delete(self, request: Request) -> Response:
        serializer = PushEndpointSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = push_subscription_get_for_user(user=request.user, endpoint=serializer.validated_data["endpoint"])
        services.push_subscription_delete(subscription=subscription, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PushBeaconThrottle(ScopeRateThrottle):
    scope = "push_beacons"


class PushBeaconView(APIView):
    """The service worker's report that a pushed notification was shown or clicked (signed token)."""

    authentication_classes: list = []  # the token is the credential; no cookie, so no CSRF either
    permission_classes = [AllowAny]
    throttle_classes = [PushBeaconThrottle]

    @extend_schema(request=PushBeaconSerializer, responses={204: None}, auth=[])
    def post(self, request: Request) -> Response:
        serializer = PushBeaconSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.push_beacon_record(token=serializer.validated_data["token"], event=serializer.validated_data["event"])
        return Response(status=status.HTTP_204_NO_CONTENT)
