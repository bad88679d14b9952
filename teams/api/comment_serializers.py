from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from teams.models import Comment, User


class CommentAuthorSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "name"]


class CommentReplySerializer(serializers.ModelSerializer):
    author = CommentAuthorSerializer(read_only=True)
    mentions = CommentAuthorSerializer(many=True, read_only=True)
    is_resolved = serializers.BooleanField(read_only=True)

    class Meta:
        model = Comment
        fields = [
            "id",
            "video_id",
            "parent_id",
            "author",
            "body",
            "timestamp_seconds",
            "mentions",
            "is_resolved",
            "resolved_at",
            "created_at",
            "edited_at",
        ]
        read_only_fields = fields


class CommentSerializer(CommentReplySerializer):
    replies = serializers.SerializerMethodField(help_text=_("Replies, oldest first (threads are one level deep)."))
    resolved_by = CommentAuthorSerializer(read_only=True, allow_null=True)

    class Meta(CommentReplySerializer.Meta):
        fields = [*CommentReplySerializer.Meta.fields, "resolved_by", "replies"]
        read_only_fields = fields

    @extend_schema_field(CommentReplySerializer(many=True))
    def get_replies(self, comment: Comment) -> list[dict]:
        if comment.parent_id is not None:
            return []
        return CommentReplySerializer(comment.replies.all(), many=True).data


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=Comment.BODY_MAX_LENGTH, trim_whitespace=False)
    timestamp_seconds = serializers.FloatField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text=_("Seconds into the video; a reply defaults to its thread's."),
    )
    parent = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Reply to this comment (a reply to a reply joins its thread).")
    )


class CommentUpdateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=Comment.BODY_MAX_LENGTH, trim_whitespace=False)
