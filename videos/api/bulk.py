"""The bulk API: make many videos from one template and a JSON array of rows; follow, cancel, retry."""

import csv

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.throttling import WriteRateThrottle
from teams.permissions import Action, team_get_for_user
from teams.workspaces import workspace_team_for_request
from videos import bulk_sheets
from videos.api.views import video_id_from_url
from videos.models import BulkJob, BulkRow, Template
from videos.permissions import bulk_job_get_for_user
from videos.services.bulk import (
    bulk_job_cancel,
    bulk_job_prepare,
    bulk_job_retry_failed,
    bulk_job_start,
    bulk_results_csv,
    bulk_row_errors,
)

ERRORS_SHOWN = 100


class BulkJobSerializer(serializers.ModelSerializer):
    template = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    invalid_count = serializers.IntegerField(read_only=True)
    progress = serializers.IntegerField(read_only=True, help_text=_("Percent of the started rows rendered or failed."))

    class Meta:
        model = BulkJob
        fields = [
            "id", "status", "template", "team", "quality", "source_name", "row_count", "valid_count",
            "invalid_count", "selected_count", "created_count", "rendered_count", "failed_count", "progress",
            "created_at", "started_at", "finished_at",
        ]  # fmt: skip
        read_only_fields = fields


class BulkJobCreatedSerializer(BulkJobSerializer):
    errors = serializers.SerializerMethodField(
        help_text=_("The first rows' errors (row, column, message); every row is at /bulk/jobs/{id}/rows/.")
    )

    class Meta(BulkJobSerializer.Meta):
        fields = [*BulkJobSerializer.Meta.fields, "errors"]
        read_only_fields = fields

    def get_errors(self, job: BulkJob) -> list[dict]:
        rows = job.rows.exclude(errors=[]).order_by("number")[:ERRORS_SHOWN]
        return [
            {"row": row.number, "column": column, "message": message}
            for row in rows
            for column, message in bulk_row_errors(row)
        ]


class BulkRowSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    input = serializers.SerializerMethodField()
    errors = serializers.SerializerMethodField()

    class Meta:
        model = BulkRow
        fields = ["number", "status", "title", "input", "errors", "video", "attempts", "error_message"]
        read_only_fields = fields

    def get_input(self, row: BulkRow) -> dict[str, str]:
        return (row.data or {}).get("cells", {})

    def get_errors(self, row: BulkRow) -> list[dict]:
        return [
            {"column": error.get("column"), "code": error.get("code"), "message": message}
            for error, (_column, message) in zip(row.errors or [], bulk_row_errors(row), strict=True)
        ]


class BulkCreateSerializer(serializers.Serializer):
    template = serializers.SlugRelatedField(slug_field="slug", queryset=Template.objects.filter(is_active=True))
    rows = serializers.ListField(
        child=serializers.DictField(),
        allow_empty=False,
        max_length=bulk_sheets.MAX_ROWS,
        help_text=_(
            "One object per video, keyed by the template's columns (title, text_1, background_1, text_color, "
            "duration, media_<slot> as media:<id> of your stored media, branding, team)."
        ),
    )
    team = serializers.CharField(required=False, allow_blank=True, help_text=_("A team's slug (default: personal)."))
    quality = serializers.ChoiceField(choices=BulkJob.Quality.choices, default=BulkJob.Quality.FINAL)
    start = serializers.BooleanField(default=True, help_text=_("Start at once when the rows allow it."))
    valid_only = serializers.BooleanField(
        default=False, help_text=_("Start with the valid rows only when some have errors.")
    )


class BulkStartSerializer(serializers.Serializer):
    valid_only = serializers.BooleanField(default=False)


class BulkWriteThrottle(WriteRateThrottle):
    """Creating, starting, cancelling and retrying bulk jobs, per person; reading them is not counted."""

    scope = "bulk"


class BulkVideosView(APIView):
    """Make many videos from one template: every row is checked first, then (if `start`) queued."""

    throttle_classes = [*APIView.throttle_classes, BulkWriteThrottle]

    @extend_schema(request=BulkCreateSerializer, responses={201: BulkJobCreatedSerializer})
    def post(self, request: Request) -> Response:
        data = BulkCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        team = (
            team_get_for_user(user=request.user, slug=values["team"], action=Action.CREATE)
            if values.get("team")
            else workspace_team_for_request(request)
        )
        job = bulk_job_prepare(
            user=request.user,
            team=team,
            template=values["template"],
            rows=bulk_sheets.rows_from_json(values["rows"]),
            source_name="API",
            quality=values["quality"],
        )
        if values["start"] and job.valid_count and (not job.invalid_count or values["valid_only"]):
            job = bulk_job_start(job=job, valid_only=values["valid_only"])
        return Response(BulkJobCreatedSerializer(job).data, status=status.HTTP_201_CREATED)


class BulkJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The signed-in person's bulk jobs, with their progress, rows and results."""

    serializer_class = BulkJobSerializer
    throttle_classes = [*APIView.throttle_classes, BulkWriteThrottle]

    def get_queryset(self) -> QuerySet[BulkJob]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real request
            return BulkJob.objects.none()
        return BulkJob.objects.filter(owner=self.request.user).select_related("template", "team")

    def get_object(self) -> BulkJob:
        return bulk_job_get_for_user(user=self.request.user, job_id=video_id_from_url(self.kwargs["pk"]))

    def _answer(self, job: BulkJob) -> Response:
        job.refresh_from_db()
        return Response(BulkJobSerializer(job).data)

    @extend_schema(responses={200: BulkRowSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def rows(self, request: Request, pk: str) -> Response:
        job = self.get_object()
        rows = job.rows.order_by("number")
        if request.query_params.get("status"):
            rows = rows.filter(status=request.query_params["status"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(BulkRowSerializer(page, many=True).data)

    @extend_schema(request=BulkStartSerializer, responses={200: BulkJobSerializer})
    @action(detail=True, methods=["post"])
    def start(self, request: Request, pk: str) -> Response:
        data = BulkStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._answer(bulk_job_start(job=self.get_object(), valid_only=data.validated_data["valid_only"]))

    @extend_schema(request=None, responses={200: BulkJobSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return self._answer(bulk_job_cancel(job=self.get_object()))

    @extend_schema(request=None, responses={200: BulkJobSerializer})
    @action(detail=True, methods=["post"], url_path="retry-failed")
    def retry_failed(self, request: Request, pk: str) -> Response:
        return self._answer(bulk_job_retry_failed(job=self.get_object()))

    @extend_schema(
        responses={(200, "text/csv"): OpenApiResponse(description="row, status, title, video_id, video_url, error")}
    )
    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str) -> HttpResponse:
        job = self.get_object()
        response = HttpResponse(content_type="text/csv")
        csv.writer(response).writerows(bulk_results_csv(job=job))
        response["Content-Disposition"] = f'attachment; filename="bulk-{job.pk}-results.csv"'
        return response
