"""`GET /api/v1/status/`: the status page's data for tools that poll status pages."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.throttling import ScopeRateThrottle
from insights.status import COMPONENT_LABELS, STATE_LABELS, STATE_ORDER, status_snapshot_cached


class StatusThrottle(ScopeRateThrottle):
    """Per client address (nobody signs in here)."""

    scope = "status"


STATES = [(state, STATE_LABELS[state]) for state in STATE_ORDER]


class UptimeDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    uptime = serializers.FloatField(allow_null=True, help_text="Percent of passed health checks; null without data.")


class ComponentSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=STATES)
    uptime = serializers.FloatField(allow_null=True, help_text="Percent over the last 90 days.")
    days = UptimeDaySerializer(many=True)


class PublicUpdateSerializer(serializers.Serializer):
    state = serializers.CharField()
    body = serializers.CharField()
    at = serializers.DateTimeField()


class StatusIncidentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    state = serializers.CharField()
    impact = serializers.ChoiceField(choices=STATES)
    components = serializers.ListField(child=serializers.CharField())
    detected_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    updates = PublicUpdateSerializer(many=True)


class MaintenanceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    components = serializers.ListField(child=serializers.CharField())
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    in_progress = serializers.BooleanField()


class StatusSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=STATES, help_text="The worst state of any component.")
    components = ComponentSerializer(many=True)
    incidents = StatusIncidentSerializer(many=True)
    recently_resolved = StatusIncidentSerializer(many=True)
    maintenance = MaintenanceSerializer(many=True)


@extend_schema(tags=["status"], auth=[], responses=StatusSerializer)
class StatusView(APIView):
    """The public status: each component's state and 90-day uptime, active incidents with their
    public updates, and scheduled maintenance. No sign-in needed."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [StatusThrottle]

    def get(self, request: Request) -> Response:
        snapshot = status_snapshot_cached()
        components = [{**c, "name": str(COMPONENT_LABELS[c["key"]])} for c in snapshot["components"]]
        return Response({**snapshot, "components": components})
