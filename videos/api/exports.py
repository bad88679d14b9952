"""The export API: list my exports, start one, follow its progress, download when ready, cancel."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.throttling import WriteRateThrottle
from videos.api.views import video_id_from_url
from videos.models import ExportJob
from videos.permissions import export_get_for_user
from videos.services.exports import export_cancel, export_download_url, export_start


class ExportSerializer(serializers.ModelSerializer):
    videos = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text=_("A signed link to the ZIP while the export is ready; it expires with the export (7 days).")
    )

    class Meta:
        model = ExportJob
        fields = [
            "id", "status", "progress", "video_count", "videos", "size_bytes", "error_message", "created_at",
            "finished_at", "expires_at", "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, job: ExportJob) -> str | None:
        return export_download_url(job=job)


class ExportCreateSerializer(serializers.Serializer):
    videos = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        allow_empty=False,
        max_length=1000,
        help_text=_("Ids of the videos to put in the ZIP; at most your plan's batch size."),
    )


class ExportWriteThrottle(WriteRateThrottle):
    """Starting and cancelling exports, per person; reading them is not counted."""

    scope = "exports"


class ExportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in person's batch exports (a ZIP of up to the plan's number of videos)."""

    serializer_class = ExportSerializer
    throttle_classes = [*APIView.throttle_classes, ExportWriteThrottle]

    def get_queryset(self) -> QuerySet[ExportJob]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real request
            return ExportJob.objects.none()
        return (
            ExportJob.objects.filter(owner=self.request.user).prefetch_related("videos").order_by("-created_at", "-pk")
        )

    def get_object(self) -> ExportJob:
        return export_get_for_user(user=self.request.user, export_id=video_id_from_url(self.kwargs["pk"]))

    @extend_schema(request=ExportCreateSerializer, responses={201: ExportSerializer})
    def create(self, request: Request) -> Response:
        data = ExportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        job = export_start(user=request.user, video_ids=data.validated_data["videos"])
        return Response(
            ExportSerializer(job, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={200: ExportSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        job = export_cancel(job=self.get_object())
        return Response(ExportSerializer(job, context=self.get_serializer_context()).data)
