"""The publishing API: list (upcoming/past, by platform and status), schedule, read, cancel,
reschedule, retry. The same services as the pages."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.throttling import WriteRateThrottle
from teams.permissions import Action
from videos.api.views import video_id_from_url
from videos.permissions import publication_get_for_user, video_get_for_user
from videos.publishing_models import Platform, Privacy, Publication, PublicationTarget
from videos.publishing_selectors import PAST, UPCOMING, publications_for_user
from videos.services.publishing import (
    publication_cancel,
    publication_reschedule,
    publication_retry,
    publication_schedule,
)

FOLDS = {"earlier": 0, "later": 1}


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublicationTarget
        fields = [
            "id", "platform", "title", "caption", "privacy", "tags", "status", "remote_id", "public_url",
            "error_message", "error_action", "attempts", "next_attempt_at", "published_at",
        ]  # fmt: skip
        read_only_fields = fields


class PublicationSerializer(serializers.ModelSerializer):
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Publication
        fields = ["id", "video", "status", "scheduled_at", "time_zone", "created_at", "finished_at", "targets"]
        read_only_fields = fields


class TargetInputSerializer(serializers.Serializer):
    platform = serializers.ChoiceField(choices=Platform.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)
    caption = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    privacy = serializers.ChoiceField(choices=Privacy.choices, default=Privacy.PUBLIC)
    tags = serializers.ListField(child=serializers.CharField(max_length=100), required=False, max_length=30)


class WhenSerializer(serializers.Serializer):
    local_time = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default_timezone=None,
        help_text=_("Wall-clock time in `time_zone`, without an offset (e.g. 2027-03-28T09:00). Empty: publish now."),
    )
    time_zone = serializers.CharField(max_length=64, help_text=_("An IANA time zone, e.g. Europe/Berlin."))
    ambiguous = serializers.ChoiceField(
        choices=list(FOLDS),
        required=False,
        help_text=_("For a time that happens twice when the clocks go back: the earlier or the later one."),
    )

    def fold(self) -> int | None:
        value = self.validated_data.get("ambiguous")
        return FOLDS[value] if value else None

    def local(self):  # type: ignore[no-untyped-def]
        value = self.validated_data.get("local_time")
        return value.replace(tzinfo=None) if value else None


class PublicationCreateSerializer(WhenSerializer):
    video = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    targets = TargetInputSerializer(many=True, allow_empty=False)


class RetrySerializer(serializers.Serializer):
    confirm_unknown = serializers.BooleanField(
        default=False, help_text=_("Also retry platforms whose outcome is unknown (you checked the post is not there).")
    )


class PublicationWriteThrottle(WriteRateThrottle):
    """Scheduling and changing publications, per person; reading them is not counted."""

    scope = "publications"


class PublicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Scheduled publications of the signed-in person's videos and their teams' videos."""

    serializer_class = PublicationSerializer
    throttle_classes = [*APIView.throttle_classes, PublicationWriteThrottle]

    def get_queryset(self) -> QuerySet[Publication]:
        if getattr(self, "swagger_fake_view", False):
            return Publication.objects.none()
        params = self.request.query_params
        return publications_for_user(
            user=self.request.user,
            when=params.get("when", "") if params.get("when") in (UPCOMING, PAST) else "",
            platform=params.get("platform", "") if params.get("platform") in Platform.values else "",
            status=params.get("status", "") if params.get("status") in Publication.Status.values else "",
        )

    def get_object(self) -> Publication:
        action_name = Action.VIEW if self.request.method in permissions.SAFE_METHODS else Action.SCHEDULE
        return publication_get_for_user(
            user=self.request.user, publication_id=video_id_from_url(self.kwargs["pk"]), action=action_name
        )

    def _answer(self, publication: Publication, code: int = status.HTTP_200_OK) -> Response:
        publication = Publication.objects.prefetch_related("targets").get(pk=publication.pk)
        return Response(PublicationSerializer(publication, context=self.get_serializer_context()).data, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("when", enum=[UPCOMING, PAST]),
            OpenApiParameter("platform", enum=Platform.values),
            OpenApiParameter("status", enum=Publication.Status.values),
        ]
    )
    def list(self, request: Request) -> Response:
        return super().list(request)

    @extend_schema(request=PublicationCreateSerializer, responses={201: PublicationSerializer})
    def create(self, request: Request) -> Response:
        data = PublicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        video = video_get_for_user(user=request.user, video_id=data.validated_data["video"], action=Action.SCHEDULE)
        publication = publication_schedule(
            user=request.user,
            video=video,
            local_time=data.local(),
            time_zone=data.validated_data["time_zone"],
            fold=data.fold(),
            targets=[dict(t) for t in data.validated_data["targets"]],
        )
        return self._answer(publication, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: PublicationSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        return self._answer(publication_cancel(publication=self.get_object()))

    @extend_schema(request=WhenSerializer, responses={200: PublicationSerializer})
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk: str) -> Response:
        data = WhenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.local() is None:
            raise serializers.ValidationError({"local_time": [_("Choose when to publish.")]})
        publication = publication_reschedule(
            publication=self.get_object(),
            local_time=data.local(),
            time_zone=data.validated_data["time_zone"],
            fold=data.fold(),
        )
        return self._answer(publication)

    @extend_schema(request=RetrySerializer, responses={200: PublicationSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        data = RetrySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        publication = publication_retry(
            publication=self.get_object(), confirm_unknown=data.validated_data["confirm_unknown"]
        )
        return self._answer(publication)
