from rest_framework.routers import SimpleRouter

from videos.api.views import TemplateViewSet, VideoViewSet

router = SimpleRouter()
router.register("templates", TemplateViewSet, basename="api-template")
router.register("videos", VideoViewSet, basename="api-video")

urlpatterns = router.urls
