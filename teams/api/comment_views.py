"""Review comments over the API; the same services and selectors as the video page's panel."""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from teams import selectors, services
from teams.api.comment_serializers import CommentCreateSerializer, CommentSerializer, CommentUpdateSerializer
from teams.comment_targets import CommentTarget
from teams.models import Comment
from teams.permissions import Action, comment_get_for_user, comment_target_get_for_user


def _with_thread(comment: Comment) -> Comment:
    """The comment again, with what CommentSerializer shows prefetched."""
    return (
        Comment.objects.select_related("author", "resolved_by")
        .prefetch_related("mentions", "replies__author", "replies__mentions")
        .get(pk=comment.pk)
    )


class VideoCommentListView(generics.ListAPIView):
    """A video's comment threads in timeline order, replies nested; post to comment or reply."""

    serializer_class = CommentSerializer

    def _video(self, action: str = Action.VIEW) -> CommentTarget:
        return comment_target_get_for_user(user=self.request.user, target_id=self.kwargs["video_id"], action=action)

    def get_queryset(self) -> QuerySet[Comment]:
        flag = self.request.query_params.get("resolved", "").lower()
        resolved = {"true": True, "1": True, "false": False, "0": False}.get(flag)
        return selectors.comment_list_for_video(video=self._video(), resolved=resolved)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "resolved", OpenApiTypes.BOOL, description="false hides resolved threads; true shows only them"
            )
        ]
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    def post(self, request: Request, video_id: int) -> Response:
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        comment = services.comment_create(
            video=self._video(Action.COMMENT),
            author=request.user,
            body=data["body"],
            timestamp_seconds=data.get("timestamp_seconds"),
            parent_id=data.get("parent"),
        )
        return Response(CommentSerializer(_with_thread(comment)).data, status=status.HTTP_201_CREATED)


class CommentDetailView(APIView):
    """One comment: read it, change its text (author), or delete it (author, team owners and admins)."""

    @extend_schema(responses=CommentSerializer)
    def get(self, request: Request, pk: int) -> Response:
        comment = comment_get_for_user(user=request.user, comment_id=pk)
        return Response(CommentSerializer(_with_thread(comment)).data)

    @extend_schema(request=CommentUpdateSerializer, responses=CommentSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        serializer = CommentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = comment_get_for_user(user=request.user, comment_id=pk, action=Action.EDIT)
        comment = services.comment_update(comment=comment, body=serializer.validated_data["body"])
        return Response(CommentSerializer(_with_thread(comment)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.comment_delete(comment=comment_get_for_user(user=request.user, comment_id=pk, action=Action.DELETE))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CommentResolveView(APIView):
    """Mark a thread resolved (anyone who may comment on the video)."""

    @extend_schema(request=None, responses=CommentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        comment = comment_get_for_user(user=request.user, comment_id=pk, action=Action.COMMENT)
        comment = services.comment_resolve(comment=comment, actor=request.user)
        return Response(CommentSerializer(_with_thread(comment)).data)


class CommentUnresolveView(APIView):
    """Open a resolved thread again."""

    @extend_schema(request=None, responses=CommentSerializer)
    def post(self, request: Request, pk: int) -> Response:
        comment = comment_get_for_user(user=request.user, comment_id=pk, action=Action.COMMENT)
        comment = services.comment_unresolve(comment=comment, actor=request.user)
        return Response(CommentSerializer(_with_thread(comment)).data)
