from django.db.models import QuerySet
from django.http import HttpRequest
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from billing import limits
from config.errors import NotFound
from teams.models import Team
from teams.permissions import Action, team_get_for_user
from teams.workspaces import workspace_team_for_request
from videos.api.serializers import (
    TemplateFilterSerializer,
    TemplateSerializer,
    VersionCompareQuerySerializer,
    VersionComparisonSerializer,
    VideoCreateSerializer,
    VideoSerializer,
    VideoUpdateSerializer,
    VideoUploadSerializer,
    VideoVersionSerializer,
)
from videos.models import Template, Video
from videos.permissions import version_get_for_user, video_get_for_user
from videos.selectors import (
    account_for,
    template_list,
    upload_size_ceiling_mb,
    version_compare,
    version_list_for_video,
    video_list_for_workspace,
)
from videos.services import (
    upload_size_check,
    version_restore,
    video_create_from_template,
    video_delete,
    video_edit,
    video_rerender,
    video_upload,
)
from videos.uploads import UploadSizeLimitHandler, install_upload_size_limit


def video_id_from_url(pk: str) -> int:
    """The video id in a URL; a word or a number too large for the column is simply not found."""
    if not pk.isdigit() or int(pk) > 2**31 - 1:
        raise NotFound()
    return int(pk)


@extend_schema(parameters=[TemplateFilterSerializer])
class TemplateViewSet(viewsets.ReadOnlyModelViewSet):
    """The template library: filter by category, a tag or a word; sort by popular, recent or duration."""

    serializer_class = TemplateSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Template]:
        if self.action != "list":
            return Template.objects.filter(is_active=True)
        filters = TemplateFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        return template_list(
            category=data.get("category", ""), tag=data.get("tag", ""), search=data.get("q", ""), sort=data["sort"]
        )

    def get_serializer_context(self) -> dict:
        context = super().get_serializer_context()
        account = account_for(user=self.request.user, team=workspace_team_for_request(self.request))
        context["pro_allowed"] = limits.allows(account, limits.Limit.PRO_TEMPLATES)
        return context


def _upload_fields(name: str) -> bool:
    return name == "file"


def _slot_fields(name: str) -> bool:
    # The template is named in the body, which is being read: any slot field; the service then
    # takes only the template's own slots.
    return name.startswith("slot_")


class VideoViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Videos of the current workspace: create from a template, upload, edit (re-render), delete, versions."""

    serializer_class = VideoSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    upload_size_limit: UploadSizeLimitHandler

    def initialize_request(self, request: HttpRequest, *args: object, **kwargs: object) -> Request:
        drf_request = super().initialize_request(request, *args, **kwargs)
        if self.action in ("upload", "create"):
            # Before anything parses the body (SessionAuthentication's CSRF check may): the upload's
            # file or a create's slot files (slot_<key>). Which team they are for is in the body, so the
            # cap is the largest the user has; the service then checks the exact one. The user is asked
            # for once the first file arrives, when DRF has authenticated it (and set it on the Django
            # request).
            self.upload_size_limit = install_upload_size_limit(
                request,
                limit_mb=lambda: upload_size_ceiling_mb(user=request.user),
                expects=_upload_fields if self.action == "upload" else _slot_fields,
            )
        return drf_request

    def get_queryset(self) -> QuerySet[Video]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no real request
            return Video.objects.none()
        return video_list_for_workspace(
            user=self.request.user,
            team=self._workspace(self.request.query_params.get("team", ""), action=Action.VIEW),
            search=self.request.query_params.get("search", ""),
            status=self.request.query_params.get("status", ""),
            related=("current_version",),
        )

    def _workspace(self, team_slug: str, *, action: str) -> Team | None:
        """The team named by `team` (token clients have no session), else the session's workspace."""
        if team_slug:
            return team_get_for_user(user=self.request.user, slug=team_slug, action=action)
        return workspace_team_for_request(self.request)

    def get_object(self, action: str = Action.VIEW) -> Video:
        return video_get_for_user(user=self.request.user, video_id=video_id_from_url(self.kwargs["pk"]), action=action)

    def destroy(self, request: Request, *args: object, **kwargs: object) -> Response:
        video_delete(video=self.get_object(Action.DELETE), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "search",
                str,
                description=(
                    "Part of the title. Results are ranked: the exact title first, then titles that start with it,"
                    " then titles holding it as a whole word, then anywhere; newest first within each. Only the"
                    " newest 1,001 matches are ranked and listed (`count_capped` says when there are more)."
                ),
            ),
            OpenApiParameter("status", str, enum=Video.Status.values),
            OpenApiParameter(
                "team", str, description="A team's slug: list that team's videos instead of the session's workspace."
            ),
        ]
    )
    def list(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request={"application/json": VideoCreateSerializer, "multipart/form-data": VideoCreateSerializer},
        responses={201: VideoSerializer},
        description="Send multipart/form-data to fill the template's media slots: one file per slot, "
        "in a field named slot_<key> (e.g. slot_product).",
    )
    def create(self, request: Request) -> Response:
        data = request.data  # reads the body, through the size limit
        skipped = {name: size for name, size in self.upload_size_limit.skipped.items() if name.startswith("slot_")}
        if skipped:
            # A slot's file was dropped while it arrived: the same refusal, on that slot's field.
            team = self._workspace(str(data.get("team", "")), action=Action.CREATE)
            account = account_for(user=request.user, team=team)
            for name, size in skipped.items():
                upload_size_check(account=account, size=size, field=name)
        serializer = VideoCreateSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        template = data.pop("template")
        title = data.pop("title") or template.title
        team = self._workspace(data.pop("team", ""), action=Action.CREATE)
        video = video_create_from_template(
            user=request.user,
            team=team,
            template=template,
            title=title,
            customization=data,
            slot_uploads={
                name.removeprefix("slot_"): upload for name, upload in request.FILES.items() if name.startswith("slot_")
            },
        )
        return Response(VideoSerializer(video, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=VideoUpdateSerializer, responses=VideoSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        serializer = VideoUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        title = data.pop("title", None)
        change = data.pop("change_description", "")
        video = self.get_object(Action.EDIT)
        customization = {**video.customization, **data} if data else None
        video = video_edit(
            video=video, actor=request.user, title=title, customization=customization, change_description=change
        )
        return Response(VideoSerializer(video, context={"request": request}).data)

    @extend_schema(request={"multipart/form-data": VideoUploadSerializer}, responses={201: VideoSerializer})
    @action(detail=False, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def upload(self, request: Request) -> Response:
        """Upload an existing video; it is probed and checked against the plan's limits."""
        data = request.data  # reads the body, through the size limit
        if "file" in self.upload_size_limit.skipped:
            # The file was dropped while it arrived: the same refusal the service gives for a too-large file.
            team = self._workspace(str(data.get("team", "")), action=Action.CREATE)
            upload_size_check(
                account=account_for(user=request.user, team=team), size=self.upload_size_limit.skipped["file"]
            )
        serializer = VideoUploadSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        video = video_upload(
            user=request.user,
            team=self._workspace(serializer.validated_data["team"], action=Action.CREATE),
            title=serializer.validated_data["title"],
            upload=serializer.validated_data["file"],
        )
        return Response(VideoSerializer(video, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=VideoVersionSerializer(many=True))
    @action(detail=True, methods=["get"])
    def versions(self, request: Request, pk: str) -> Response:
        """Every version of the video, newest first."""
        versions = version_list_for_video(video=self.get_object())
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(VideoVersionSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(request=None, responses={201: VideoVersionSerializer})
    @action(detail=True, methods=["post"], url_path=r"versions/(?P<number>\d+)/restore")
    def restore(self, request: Request, pk: str, number: str) -> Response:
        """Make a new version that is a copy of version `number`."""
        version = version_restore(video=self.get_object(Action.EDIT), actor=request.user, number=int(number))
        return Response(
            VideoVersionSerializer(version, context={"request": request}).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={202: VideoVersionSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, pk: str) -> Response:
        """Render a failed latest version again, as a new version with the same spec."""
        version = video_rerender(video=self.get_object(Action.EDIT), actor=request.user)
        return Response(
            VideoVersionSerializer(version, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )

    @extend_schema(parameters=[VersionCompareQuerySerializer], responses=VersionComparisonSerializer)
    @action(detail=True, methods=["get"], url_path="versions/compare")
    def compare(self, request: Request, pk: str) -> Response:
        """Size, duration and time differences between versions `a` and `b`, and who made each."""
        query = VersionCompareQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        video = self.get_object()
        comparison = version_compare(
            first=version_get_for_user(user=request.user, video_id=video.pk, number=query.validated_data["a"]),
            second=version_get_for_user(user=request.user, video_id=video.pk, number=query.validated_data["b"]),
        )
        return Response(VersionComparisonSerializer(comparison, context={"request": request}).data)
