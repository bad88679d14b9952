"""The branding profiles API: list, create, change, delete, make default, and apply to a video.

Validation of the settings is the service's (one rule for pages, API and admin); the serializers only
read the types. Logos arrive as multipart/form-data under `logo`, at most LOGO_MAX_MB while they arrive.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from config.errors import NotFound
from teams.models import Team
from teams.permissions import Action, team_get_for_user
from teams.workspaces import workspace_team_for_request
from videos.api.serializers import VideoVersionSerializer
from videos.models import BrandingProfile
from videos.permissions import branding_profile_get_for_user, video_get_for_user
from videos.selectors import branding_profile_list_for_workspace
from videos.services import (
    branding_apply,
    branding_profile_create,
    branding_profile_delete,
    branding_profile_set_default,
    branding_profile_update,
)
from videos.services.branding import LOGO_MAX_MB, logo_too_large
from videos.uploads import UploadSizeLimitHandler, install_upload_size_limit

SETTINGS = ["name", "position", "opacity", "scale", "margin", "is_default", "apply_to_new_renders"]


class BrandingProfileSerializer(serializers.ModelSerializer):
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    logo_url = serializers.SerializerMethodField()

    class Meta:
        model = BrandingProfile
        fields = ["id", "team", *SETTINGS, "logo_url", "logo_width", "logo_height", "created_at", "updated_at"]
        read_only_fields = fields

    def get_logo_url(self, profile: BrandingProfile) -> str:
        url = profile.logo.url  # signed and expiring on every backend
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request and url.startswith("/") else url


class BrandingProfileWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    logo = serializers.FileField(required=False)
    position = serializers.CharField(max_length=20, required=False)
    opacity = serializers.IntegerField(required=False, help_text="0 to 100 %")
    scale = serializers.IntegerField(required=False, help_text="5 to 30 % of the video's width")
    margin = serializers.IntegerField(required=False, help_text="0 to 500 pixels from the edges")
    is_default = serializers.BooleanField(required=False)
    apply_to_new_renders = serializers.BooleanField(
        required=False, help_text="Put the default profile's logo on every new render of the workspace."
    )
    team = serializers.SlugField(
        required=False, allow_blank=True, default="", help_text="A team's slug: that team's profiles."
    )


class BrandingProfileCreateSerializer(BrandingProfileWriteSerializer):
    logo = serializers.FileField(help_text="PNG (transparency kept), JPEG or WebP.")


class BrandingApplySerializer(serializers.Serializer):
    video = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


def _profile_id(pk: str) -> int:
    if not pk.isdigit() or int(pk) > 2**31 - 1:
        raise NotFound()
    return int(pk)


class BrandingProfileViewSet(viewsets.GenericViewSet):
    """Branding profiles (Pro) of the current workspace, or of the team named by `team`."""

    serializer_class = BrandingProfileSerializer
    # For the schema only (the id's type); every lookup goes through branding_profile_get_for_user.
    queryset = BrandingProfile.objects.none()

    parser_classes = [JSONParser, MultiPartParser, FormParser]
    upload_size_limit: UploadSizeLimitHandler | None = None

    def initialize_request(self, request: HttpRequest, *args: object, **kwargs: object) -> Request:
        drf_request = super().initialize_request(request, *args, **kwargs)
        if self.action in ("create", "partial_update"):
            # One logo, dropped while it arrives once it passes the logo cap.
            self.upload_size_limit = install_upload_size_limit(
                request, limit_mb=lambda: LOGO_MAX_MB, expects=lambda name: name == "logo"
            )
        return drf_request

    def _workspace(self, team_slug: str, *, action: str) -> Team | None:
        if team_slug:
            return team_get_for_user(user=self.request.user, slug=team_slug, action=action)
        return workspace_team_for_request(self.request)

    def _written(self, request: Request, serializer_class: type[serializers.Serializer]) -> dict:
        data = request.data  # reads the body, through the size limit
        if self.upload_size_limit is not None and "logo" in self.upload_size_limit.skipped:
            raise logo_too_large()
        serializer = serializer_class(data=data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def _answer(self, profile: BrandingProfile, code: int = status.HTTP_200_OK) -> Response:
        return Response(BrandingProfileSerializer(profile, context={"request": self.request}).data, status=code)

    @extend_schema(
        parameters=[OpenApiParameter("team", str, description="A team's slug.")],
        responses=BrandingProfileSerializer(many=True),
    )
    def list(self, request: Request) -> Response:
        team = self._workspace(request.query_params.get("team", ""), action=Action.VIEW)
        profiles: QuerySet[BrandingProfile] = branding_profile_list_for_workspace(user=request.user, team=team)
        page = self.paginate_queryset(profiles.select_related("team"))
        return self.get_paginated_response(
            BrandingProfileSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(responses=BrandingProfileSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        return self._answer(branding_profile_get_for_user(user=request.user, profile_id=_profile_id(pk)))

    @extend_schema(
        request={"multipart/form-data": BrandingProfileCreateSerializer}, responses={201: BrandingProfileSerializer}
    )
    def create(self, request: Request) -> Response:
        data = self._written(request, BrandingProfileCreateSerializer)
        team = self._workspace(data.pop("team", ""), action=Action.VIEW)
        profile = branding_profile_create(actor=request.user, team=team, name=data.pop("name", ""), **data)
        return self._answer(profile, status.HTTP_201_CREATED)

    @extend_schema(
        request={
            "multipart/form-data": BrandingProfileWriteSerializer,
            "application/json": BrandingProfileWriteSerializer,
        },
        responses=BrandingProfileSerializer,
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        profile = branding_profile_get_for_user(user=request.user, profile_id=_profile_id(pk), action=Action.EDIT)
        data = self._written(request, BrandingProfileWriteSerializer)
        data.pop("team", None)
        profile = branding_profile_update(profile=profile, actor=request.user, **data)
        return self._answer(profile)

    def destroy(self, request: Request, pk: str) -> Response:
        profile = branding_profile_get_for_user(user=request.user, profile_id=_profile_id(pk), action=Action.DELETE)
        branding_profile_delete(profile=profile, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=None, responses=BrandingProfileSerializer)
    @action(detail=True, methods=["post"])
    def default(self, request: Request, pk: str) -> Response:
        """Make this profile its workspace's default."""
        profile = branding_profile_get_for_user(user=request.user, profile_id=_profile_id(pk), action=Action.EDIT)
        return self._answer(branding_profile_set_default(profile=profile, actor=request.user))

    @extend_schema(request=BrandingApplySerializer, responses={202: VideoVersionSerializer})
    @action(detail=True, methods=["post"])
    def apply(self, request: Request, pk: str) -> Response:
        """Queue a new version of `video` with this profile's logo on it; restoring the previous version undoes it."""
        serializer = BrandingApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        video = video_get_for_user(user=request.user, video_id=serializer.validated_data["video"], action=Action.BRAND)
        profile = branding_profile_get_for_user(user=request.user, profile_id=_profile_id(pk))
        version = branding_apply(video=video, profile=profile, actor=request.user)
        return Response(
            VideoVersionSerializer(version, context={"request": request}).data, status=status.HTTP_202_ACCEPTED
        )
