from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status, throttling
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams.api.serializers import (
    ApiTokenCreateSerializer,
    ApiTokenSerializer,
    MeSerializer,
    NewApiTokenSerializer,
    TokenRequestSerializer,
)
from teams.models import ApiTokenLabel, User
from teams.permissions import api_token_get_for_user
from teams.selectors import api_token_list_for_user
from teams.services import api_token_create, api_token_revoke, user_update_preferences


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in user's profile: read it, or change display name, language and time zone."""

    serializer_class = MeSerializer

    def get_object(self) -> User:
        return self.request.user

    def perform_update(self, serializer: MeSerializer) -> None:
        user_update_preferences(user=self.request.user, **serializer.validated_data)


class TokenView(APIView):
    """Exchange a verified account's e-mail and password for a new API token (shown only once)."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    # Failed passwords are limited by allauth (TokenRequestSerializer), as on the login page.
    throttle_classes = [throttling.AnonRateThrottle]

    @extend_schema(request=TokenRequestSerializer, responses=NewApiTokenSerializer)
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, key = api_token_create(
            user=serializer.validated_data["user"],
            name=serializer.validated_data["name"],
            lifetime_days=serializer.validated_data["expires_in_days"],
        )
        return Response(NewApiTokenSerializer.answer(token, key))


class ApiTokenListView(generics.ListAPIView):
    """The signed-in user's API tokens (names and expiry, never keys); POST issues a new one."""

    serializer_class = ApiTokenSerializer
    # Creating and revoking are limited per person in the services, where the settings page counts too.

    def get_queryset(self):
        return api_token_list_for_user(user=self.request.user)

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: NewApiTokenSerializer})
    def post(self, request: Request) -> Response:
        serializer = ApiTokenCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token, key = api_token_create(
            user=request.user,
            name=serializer.validated_data["name"],
            lifetime_days=serializer.validated_data["expires_in_days"],
        )
        return Response(NewApiTokenSerializer.answer(token, key), status=status.HTTP_201_CREATED)


class ApiTokenDetailView(APIView):
    """Revoke one of the signed-in user's API tokens."""

    queryset = ApiTokenLabel.objects.none()  # for the schema's path parameter

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        api_token_revoke(token=api_token_get_for_user(user=request.user, token_id=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
