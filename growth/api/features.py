from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from growth.api.serializers import (
    FeatureCommentSerializer,
    FeatureRequestCreateSerializer,
    FeatureRequestSerializer,
    FeatureVoteSerializer,
)
from growth.feature_selectors import feature_request_board, feature_request_similar, feature_votes_of_user
from growth.permissions import feature_request_get_for_user
from growth.services.features import feature_comment_create, feature_request_create, feature_vote_set


class FeatureRequestListView(generics.ListCreateAPIView):
    """The board (anyone may read): `sort` top|newest|trending, `status`, `category`, `q`; post to request one."""

    serializer_class = FeatureRequestSerializer

    def get_permissions(self):  # type: ignore[no-untyped-def]
        return [permissions.AllowAny()] if self.request.method == "GET" else [permissions.IsAuthenticated()]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        params = self.request.query_params
        return feature_request_board(
            sort=params.get("sort", "top"),
            status=params.get("status", ""),
            category=params.get("category", ""),
            search=params.get("q", ""),
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("sort", str, enum=["top", "newest", "trending"]),
            OpenApiParameter("status", str),
            OpenApiParameter("category", str),
            OpenApiParameter("q", str),
        ]
    )
    def list(self, request: Request, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        page = self.paginate_queryset(self.get_queryset())
        my_votes = feature_votes_of_user(user=request.user, feature_requests=page)
        data = FeatureRequestSerializer(page, many=True, context={"my_votes": my_votes}).data
        return self.get_paginated_response(data)

    @extend_schema(request=FeatureRequestCreateSerializer, responses={201: FeatureRequestSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        serializer = FeatureRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        feature_request = feature_request_create(author=request.user, **serializer.validated_data)
        my_votes = {feature_request.pk: 1}
        return Response(
            FeatureRequestSerializer(feature_request, context={"my_votes": my_votes}).data,
            status=status.HTTP_201_CREATED,
        )


class FeatureRequestDetailView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=FeatureRequestSerializer)
    def get(self, request: Request, feature_request_id: int) -> Response:
        feature_request = feature_request_get_for_user(user=request.user, feature_request_id=feature_request_id)
        my_votes = feature_votes_of_user(user=request.user, feature_requests=[feature_request])
        return Response(FeatureRequestSerializer(feature_request, context={"my_votes": my_votes}).data)


class FeatureVoteView(APIView):
    """Vote up (1) or down (-1) on a request, or remove your vote (0)."""

    @extend_schema(request=FeatureVoteSerializer, responses=FeatureRequestSerializer)
    def post(self, request: Request, feature_request_id: int) -> Response:
        feature_request = feature_request_get_for_user(
            user=request.user, feature_request_id=feature_request_id, action="vote"
        )
        serializer = FeatureVoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        value = serializer.validated_data["value"]
        feature_request = feature_vote_set(feature_request=feature_request, user=request.user, value=value)
        return Response(
            FeatureRequestSerializer(feature_request, context={"my_votes": {feature_request.pk: value}}).data
        )


class FeatureCommentListView(generics.ListCreateAPIView):
    serializer_class = FeatureCommentSerializer

    def get_permissions(self):  # type: ignore[no-untyped-def]
        return [permissions.AllowAny()] if self.request.method == "GET" else [permissions.IsAuthenticated()]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        feature_request = feature_request_get_for_user(
            user=self.request.user, feature_request_id=self.kwargs["feature_request_id"]
        )
        return feature_request.comments.select_related("author")

    def create(self, request: Request, *args, **kwargs) -> Response:  # type: ignore[no-untyped-def]
        feature_request = feature_request_get_for_user(
            user=request.user, feature_request_id=self.kwargs["feature_request_id"], action="comment"
        )
        serializer = FeatureCommentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = feature_comment_create(
            feature_request=feature_request, author=request.user, body=serializer.validated_data["body"]
        )
        return Response(FeatureCommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class FeatureSimilarView(APIView):
    """Existing requests whose titles look like `title` (to vote instead of filing a duplicate)."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("title", str, required=True)], responses=FeatureRequestSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        matches = feature_request_similar(title=request.query_params.get("title", ""))
        return Response(FeatureRequestSerializer(matches, many=True).data)
