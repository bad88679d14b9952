from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from videos.models import Template, Video, VideoVersion
from videos.selectors import TEMPLATE_SORTS, template_locked

COLOUR = r"^#[0-9a-fA-F]{6}\Z"  # \Z, not $: "$" also matches before a final newline


class TemplateSerializer(serializers.ModelSerializer):
    tags = serializers.ListField(source="tag_list", child=serializers.CharField(), read_only=True)
    locked = serializers.SerializerMethodField(help_text=_("True when your plan does not include this template."))

    class Meta:
        model = Template
        fields = [
            "slug", "title", "description", "category", "tags", "duration_seconds", "min_duration_seconds",
            "max_duration_seconds", "aspect_ratio", "style", "tier", "usage_count", "scene_spec", "locked",
            "created_at",
        ]  # fmt: skip
        read_only_fields = fields

    def get_locked(self, template: Template) -> bool:
        return template_locked(template, pro_allowed=self.context.get("pro_allowed", False))


class TemplateFilterSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Template.Category.choices, required=False)
    tag = serializers.CharField(required=False, max_length=50)
    q = serializers.CharField(required=False, max_length=100)
    sort = serializers.ChoiceField(choices=list(TEMPLATE_SORTS), required=False, default="popular")


class VideoSerializer(serializers.ModelSerializer):
    template = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    current_version = serializers.IntegerField(source="current_version.number", read_only=True, default=None)
    file_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Video
        fields = [
            "id", "title", "status", "status_message", "source", "template", "team", "owner", "current_version",
            "duration_seconds", "size_bytes", "width", "height", "file_url", "thumbnail_url", "customization",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file_url(self, video: Video) -> str | None:
        return self._absolute(video.file)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_thumbnail_url(self, video: Video) -> str | None:
        return self._absolute(video.thumbnail)

    def _absolute(self, field: object) -> str | None:
        if not field:
            return None
        url = field.url  # type: ignore[attr-defined]
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request and url.startswith("/") else url


class CustomizationSerializer(serializers.Serializer):
    texts = serializers.ListField(child=serializers.CharField(max_length=300, allow_blank=True), required=False)
    backgrounds = serializers.ListField(
        child=serializers.RegexField(COLOUR, allow_blank=True), required=False, help_text=_("One colour per scene.")
    )
    text_color = serializers.RegexField(COLOUR, required=False, allow_blank=True)
    duration = serializers.IntegerField(required=False, min_value=1)


class VideoCreateSerializer(CustomizationSerializer):
    template = serializers.SlugRelatedField(slug_field="slug", queryset=Template.objects.filter(is_active=True))
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    team = serializers.SlugField(
        required=False,
        allow_blank=True,
        default="",
        help_text="A team's slug: create the video in that team instead of the session's workspace.",
    )


class VideoUpdateSerializer(CustomizationSerializer):
    title = serializers.CharField(max_length=200, required=False)
    change_description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class VideoUploadSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    file = serializers.FileField()
    team = serializers.SlugField(
        required=False,
        allow_blank=True,
        default="",
        help_text="A team's slug: create the video in that team instead of the session's workspace.",
    )


class VideoVersionSerializer(serializers.ModelSerializer):
    created_by = serializers.SlugRelatedField(slug_field="email", read_only=True)
    restored_from = serializers.IntegerField(source="restored_from.number", read_only=True, default=None)
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = VideoVersion
        fields = [
            "number", "status", "progress", "error_message", "size_bytes", "duration_seconds", "width", "height",
            "created_by", "change_description", "created_at", "restored_from", "purged_at", "file_url",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file_url(self, version: VideoVersion) -> str | None:
        if not version.file:
            return None
        request = self.context.get("request")
        url = version.file.url
        return request.build_absolute_uri(url) if request and url.startswith("/") else url


class VersionCompareQuerySerializer(serializers.Serializer):
    a = serializers.IntegerField(min_value=1)
    b = serializers.IntegerField(min_value=1)


class VersionComparisonSerializer(serializers.Serializer):
    older = VideoVersionSerializer()
    newer = VideoVersionSerializer()
    size_difference_mb = serializers.FloatField(allow_null=True)
    duration_difference_seconds = serializers.FloatField(allow_null=True)
    seconds_between = serializers.SerializerMethodField()

    def get_seconds_between(self, comparison: object) -> float:
        return comparison.time_between.total_seconds()  # type: ignore[attr-defined]
