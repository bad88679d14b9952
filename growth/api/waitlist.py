from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from growth.api.serializers import FeatureFlagSerializer, PreviewFeatureSerializer
from growth.flags import feature_enabled
from growth.permissions import preview_feature_get_for_user
from growth.services.waitlist import waitlist_join, waitlist_leave
from growth.waitlist_selectors import preview_features_for_user, waitlist_place_for_user


def _row(row: dict) -> dict:
    place = row["place"]
    feature = row["feature"]
    return {
        "key": feature.key,
        "name": feature.name,
        "description": feature.description,
        "enabled": row["enabled"],
        "joined": row["entry"] is not None,
        "position": place.position if place else None,
        "referrals": place.referrals if place else None,
    }


class PreviewFeatureListView(APIView):
    """The features in preview, each with your standing: switched on, your place in line, or not joined."""

    @extend_schema(responses=PreviewFeatureSerializer(many=True))
    def get(self, request: Request) -> Response:
        rows = preview_features_for_user(user=request.user)
        return Response(PreviewFeatureSerializer([_row(r) for r in rows], many=True).data)


class WaitlistJoinView(APIView):
    """Join (POST) or leave (DELETE) a preview feature's waitlist."""

    @extend_schema(request=None, responses={201: PreviewFeatureSerializer})
    def post(self, request: Request, key: str) -> Response:
        feature = preview_feature_get_for_user(user=request.user, key=key, action="join")
        entry = waitlist_join(feature=feature, user=request.user)
        place = waitlist_place_for_user(feature=feature, user=request.user)
        row = {"feature": feature, "entry": entry, "place": place, "enabled": feature_enabled(request.user, key)}
        return Response(PreviewFeatureSerializer(_row(row)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request: Request, key: str) -> Response:
        feature = preview_feature_get_for_user(user=request.user, key=key, action="join")
        waitlist_leave(feature=feature, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class FeatureFlagView(APIView):
    """Whether a preview feature is switched on for the signed-in account."""

    @extend_schema(responses=FeatureFlagSerializer)
    def get(self, request: Request, key: str) -> Response:
        return Response(FeatureFlagSerializer({"key": key, "enabled": feature_enabled(request.user, key)}).data)
