from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, throttling
from rest_framework.authtoken.models import Token
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams.api.serializers import MeSerializer, TokenRequestSerializer, TokenSerializer
from teams.models import User
from teams.services import user_update_preferences


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in user's profile: read it, or change display name, language and time zone."""

    serializer_class = MeSerializer

    def get_object(self) -> User:
        return self.request.user

    def perform_update(self, serializer: MeSerializer) -> None:
        user_update_preferences(user=self.request.user, **serializer.validated_data)


class TokenView(APIView):
    """Exchange a verified account's e-mail and password for its API token."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [throttling.AnonRateThrottle]

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer)
    def post(self, request: Request) -> Response:
        serializer = TokenRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})
