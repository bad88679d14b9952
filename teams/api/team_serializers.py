from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from teams.models import Invitation, Membership, Notification, Team


class TeamSerializer(serializers.ModelSerializer):
    role = serializers.CharField(read_only=True, help_text=_("Your role in the team."))
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)

    class Meta:
        model = Team
        fields = ["id", "name", "slug", "language", "role", "created_at"]
        read_only_fields = ["id", "slug", "role", "created_at"]


class TeamUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80, required=False)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False)


class MemberSerializer(serializers.ModelSerializer):
    user_id = serializers.IntegerField(source="user.id", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)

    class Meta:
        model = Membership
        fields = ["user_id", "email", "name", "role", "created_at"]
        read_only_fields = ["created_at"]


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class InvitationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)
    invited_by = serializers.EmailField(source="invited_by.email", read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "status", "invited_by", "created_at", "sent_at", "expires_at", "send_count"]
        read_only_fields = ["id", "status", "invited_by", "created_at", "sent_at", "expires_at", "send_count"]


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=Membership.Role.choices, default=Membership.Role.VIEWER)


class InvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200)


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.CharField(read_only=True, help_text=_("Rendered in the language of the request."))
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "text", "params", "target_url", "is_read", "read_at", "created_at"]
        read_only_fields = fields

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class CountSerializer(serializers.Serializer):
    count = serializers.IntegerField()


class MyInvitationSerializer(serializers.ModelSerializer):
    team = serializers.CharField(source="team.name", read_only=True)
    team_slug = serializers.CharField(source="team.slug", read_only=True)
    invited_by = serializers.EmailField(source="invited_by.email", read_only=True, allow_null=True)

    class Meta:
        model = Invitation
        fields = ["id", "team", "team_slug", "role", "invited_by", "created_at", "expires_at"]
        read_only_fields = fields


def _kinds_field(help_text: str, *, required: bool = True) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=40), max_length=50, required=required, help_text=help_text
    )


class NotificationPreferencesSerializer(serializers.Serializer):
    email_kinds = _kinds_field(_("The kinds you receive by e-mail."))
    in_app_kinds = _kinds_field(_("The kinds shown in your inbox (unchanged when left out)."), required=False)
    push_kinds = _kinds_field(_("The kinds sent as browser notifications (unchanged when left out)."), required=False)
    available_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)
    available_push_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)

    def _offered(self, value: list[str], offered: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(offered))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown notification kinds: %(kinds)s.") % {"kinds": ", ".join(unknown)}
            )
        return value

    def validate_email_kinds(self, value: list[str]) -> list[str]:
        return self._offered(value, self.context.get("kinds", []))

    def validate_in_app_kinds(self, value: list[str]) -> list[str]:
        return self._offered(value, self.context.get("kinds", []))

    def validate_push_kinds(self, value: list[str]) -> list[str]:
        return self._offered(value, self.context.get("push_kinds", []))
