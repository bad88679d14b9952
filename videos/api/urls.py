from django.urls import path
from rest_framework.routers import SimpleRouter

from videos.api.branding import BrandingProfileViewSet
from videos.api.bulk import BulkJobViewSet, BulkVideosView
from videos.api.exports import ExportViewSet
from videos.api.publishing import PublicationViewSet
from videos.api.views import TemplateViewSet, VideoViewSet

router = SimpleRouter()
router.register("templates", TemplateViewSet, basename="api-template")
router.register("videos", VideoViewSet, basename="api-video")
router.register("branding-profiles", BrandingProfileViewSet, basename="api-branding-profile")
router.register("exports", ExportViewSet, basename="api-export")
router.register("publications", PublicationViewSet, basename="api-publication")
router.register("bulk/jobs", BulkJobViewSet, basename="api-bulk-job")

urlpatterns = [path("bulk/videos/", BulkVideosView.as_view(), name="api-bulk-videos"), *router.urls]
