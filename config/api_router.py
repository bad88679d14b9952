"""Everything under /api/v1/: each app contributes its routes here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

router = DefaultRouter()

urlpatterns = [
    path("", include("teams.api.urls")),
    path("", include("billing.api.urls")),
    path("", include("videos.api.urls")),
    path("", include("growth.api.urls")),
    path("", include("insights.api.urls")),
    *router.urls,
]
