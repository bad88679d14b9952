from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.media_views import media_serve
from growth.views import landing
from insights.views import healthz
from teams.push_views import service_worker

# Django Admin is the ops and BI console.
admin.site.site_header = _("Video Creator ops console")
admin.site.site_title = _("Video Creator ops")
admin.site.index_title = _("Operations")
# Staff sign in on allauth's login page, with its failed-login limits, never on the admin's own form.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", landing, name="landing"),
    path("healthz", healthz, name="healthz"),
    # At the root: a service worker's scope can only cover the folder it is served from.
    path("sw.js", service_worker, name="service_worker"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", include("teams.urls")),
    path("", include("teams.team_urls")),
    path("", include("insights.urls")),
    path("", include("billing.urls")),
    path("", include("videos.urls")),
    path("", include("growth.urls")),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Local media, in every mode: only through signed, expiring URLs (config.storage), never a folder
    # open to anyone. On S3 the route answers 404 and URLs point at the bucket.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:name>", media_serve, name="media"),
]

# An unknown URL under /api/ answers JSON like every other API refusal.
handler404 = "config.api.not_found"
