"""A tiny URLconf for the request-timing tests: a page that answers, one that fails, one that refuses."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def ok(request, pk):
    return HttpResponse("ok")


def broken(request):
    raise RuntimeError("this page is broken on purpose")


def refused(request):
    return HttpResponse("no", status=403)


# The project's own patterns too, so error pages render as they do for real.
urlpatterns = [
    path("items/<int:pk>/", ok, name="timing_item"),
    path("broken/", broken, name="timing_broken"),
    path("refused/", refused, name="timing_refused"),
    *project_urlpatterns,
]
