from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from insights.event_names import PUBLIC_EVENTS, EventName
from insights.models import WebhookDelivery, WebhookEndpoint


class WebhookEndpointSerializer(serializers.ModelSerializer):
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    events = serializers.ListField(source="event_types", child=serializers.ChoiceField(choices=PUBLIC_EVENTS))

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id", "url", "description", "events", "team", "is_active", "disabled_reason", "disabled_at",
            "failing_since", "previous_secret_expires_at", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class NewWebhookEndpointSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text=_("The signing secret (whsec_…). Shown only in this answer; store it now.")
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class WebhookEndpointCreateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000, help_text=_("HTTPS URL that receives the POSTs."))
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=PUBLIC_EVENTS), allow_empty=False, max_length=len(PUBLIC_EVENTS) * 2
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    team = serializers.SlugField(
        required=False, allow_blank=True, default="", help_text=_("A team's slug: the endpoint belongs to that team.")
    )


class WebhookEndpointUpdateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=PUBLIC_EVENTS),
        allow_empty=False,
        max_length=len(PUBLIC_EVENTS) * 2,
        required=False,
    )
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    is_active = serializers.BooleanField(required=False, help_text=_("Turn the endpoint off or on again."))


class SecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text=_("The new signing secret, shown only in this answer."))
    previous_secret_expires_at = serializers.DateTimeField(
        help_text=_("Until then the previous secret signs every delivery too.")
    )


class WebhookDeliverySerializer(serializers.ModelSerializer):
    endpoint = serializers.PrimaryKeyRelatedField(read_only=True)
    webhook_id = serializers.CharField(source="message_id", read_only=True)
    type = serializers.CharField(source="event_type", read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "endpoint", "webhook_id", "type", "payload", "status", "attempts", "next_attempt_at",
            "last_attempt_at", "response_status", "duration_ms", "error", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class EventTypeSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()

    @staticmethod
    def rows() -> list[dict[str, str]]:
        return [{"name": name, "label": str(EventName(name).label)} for name in PUBLIC_EVENTS]
