from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers

from teams.forms import TIME_ZONE_CHOICES
from teams.models import ApiTokenLabel, User
from teams.services.tokens import DEFAULT_TOKEN_LIFETIME_DAYS, TOKEN_LIFETIME_DAYS


class MeSerializer(serializers.ModelSerializer):
    time_zone = serializers.ChoiceField(choices=TIME_ZONE_CHOICES, required=False)

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "language", "time_zone", "country", "date_joined", "is_staff"]
        read_only_fields = ["id", "email", "date_joined", "is_staff"]


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    expires_in_days = serializers.ChoiceField(
        choices=TOKEN_LIFETIME_DAYS, default=DEFAULT_TOKEN_LIFETIME_DAYS, help_text=_("Days until the token expires.")
    )


class TokenRequestSerializer(ApiTokenCreateSerializer):
    email = serializers.EmailField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, write_only=True)

    def validate(self, attrs: dict) -> dict:
        request = self.context["request"]
        try:
            # allauth's own path, so the login page's failed-login limits (per address and per
            # account, same counters) hold here too.
            user = get_adapter(request).authenticate(request, email=attrs["email"].lower(), password=attrs["password"])
        except DjangoValidationError as locked_out:
            raise exceptions.Throttled(detail=locked_out.messages[0]) from locked_out
        if user is None:
            raise serializers.ValidationError(_("The e-mail address and/or password you entered are not correct."))
        if not EmailAddress.objects.filter(user=user, verified=True).exists():
            raise serializers.ValidationError(_("Verify your e-mail address before using the API."))
        attrs["user"] = user
        return attrs


class ApiTokenSerializer(serializers.ModelSerializer):
    created = serializers.DateTimeField(source="token.created", read_only=True)
    expiry = serializers.DateTimeField(source="token.expiry", read_only=True)

    class Meta:
        model = ApiTokenLabel
        fields = ["id", "name", "created", "expiry"]
        read_only_fields = fields


class NewApiTokenSerializer(ApiTokenSerializer):
    """A token just issued: the only answer that carries its key."""

    token = serializers.CharField(read_only=True, help_text=_("Send as “Authorization: Token <key>”. Shown only once."))

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields

    @classmethod
    def answer(cls, token: ApiTokenLabel, key: str) -> dict:
        return {**ApiTokenSerializer(token).data, "token": key}
