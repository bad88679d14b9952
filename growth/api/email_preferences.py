from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from growth.campaign_models import EmailCategory
from growth.campaign_selectors import email_categories_for
from growth.services.campaigns import email_preferences_save


class EmailPreferencesSerializer(serializers.Serializer):
    categories = serializers.ListField(child=serializers.ChoiceField(choices=EmailCategory.choices))
    available_categories = serializers.ListField(child=serializers.CharField(), read_only=True)


class EmailPreferencesView(APIView):
    """The marketing e-mail categories you get (account e-mail is always sent); the preferences page's twin."""

    def _answer(self, request: Request) -> Response:
        return Response(
            {
                "categories": sorted(email_categories_for(user=request.user)),
                "available_categories": list(EmailCategory.values),
            }
        )

    @extend_schema(responses=EmailPreferencesSerializer)
    def get(self, request: Request) -> Response:
        return self._answer(request)

    @extend_schema(request=EmailPreferencesSerializer, responses=EmailPreferencesSerializer)
    def put(self, request: Request) -> Response:
        serializer = EmailPreferencesSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The service counts the `email_preferences` rate, shared with the page.
        email_preferences_save(user=request.user, categories=set(serializer.validated_data["categories"]))
        return self._answer(request)
