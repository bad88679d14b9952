"""Files sent to a page that takes none (the login page, the token endpoint…) never reach the disk.

Only the upload routes install a plan-sized limit and let files through to Django's temporary-file
handler; everywhere else a request's files are held in memory up to a small cap and dropped past it.
"""

import pytest
from django.core.files.uploadedfile import InMemoryUploadedFile, SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import UserFactory
from tests.videos.media_tools import make_clip, upload_of
from videos.models import Video

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
DJANGO_MEMORY_HANDLER = "django.core.files.uploadhandler.MemoryFileUploadHandler"
# Bytes of each file that reached Django's own handlers (the temporary-file one writes them to disk).
reached_django: list[int] = []


class BytesReachingDjango(FileUploadHandler):
    """Listed just before Django's own handlers: notes what the handlers before it let through."""

    def new_file(self, *args: object, **kwargs: object) -> None:
        super().new_file(*args, **kwargs)
        reached_django.append(0)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        reached_django[-1] += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@pytest.fixture(autouse=True)
def watch_django_handlers(settings):
    handlers = list(settings.FILE_UPLOAD_HANDLERS)
    handlers.insert(handlers.index(DJANGO_MEMORY_HANDLER), f"{__name__}.BytesReachingDjango")
    settings.FILE_UPLOAD_HANDLERS = handlers
    settings.UPLOAD_DEFAULT_MAX_REQUEST_BYTES = 2 * MB
    settings.UPLOAD_STAFF_MAX_REQUEST_BYTES = 4 * MB
    reached_django.clear()


def big_file(size: int = 30 * MB) -> SimpleUploadedFile:
    return SimpleUploadedFile("big.bin", b"\0" * size, content_type="application/octet-stream")


def test_a_big_file_posted_to_the_login_page_never_reaches_the_disk(client):
    response = client.post(
        reverse("account_login"), {"login": "nobody@example.com", "password": "wrong", "junk": big_file()}
    )

    assert response.status_code == 200  # the form, with its error
    assert reached_django == []


def test_a_big_file_posted_to_the_token_endpoint_as_multipart_never_reaches_the_disk(client):
    response = client.post(
        reverse("api-token"), {"email": "nobody@example.com", "password": "wrong", "junk": big_file()}
    )

    assert response.status_code == 400
    assert reached_django == []


def files_of(request) -> dict:
    return {name: request.FILES[name] for name in request.FILES}


def test_small_files_are_kept_in_memory_up_to_the_cap_in_all_and_the_one_past_it_is_dropped():
    small = SimpleUploadedFile("a.csv", b"x" * MB, content_type="text/csv")
    second = SimpleUploadedFile("b.csv", b"y" * MB, content_type="text/csv")
    past = SimpleUploadedFile("c.csv", b"z" * 100, content_type="text/csv")
    request = RequestFactory().post("/anywhere/", {"a": small, "b": second, "c": past, "title": "kept"})

    files = files_of(request)

    assert sorted(files) == ["a", "b"]
    assert all(isinstance(upload, InMemoryUploadedFile) for upload in files.values())
    assert files["a"].read() == b"x" * MB
    assert request.POST["title"] == "kept"
    assert reached_django == []


def test_staff_may_send_more_for_the_admin_imports_still_held_in_memory():
    request = RequestFactory().post("/admin/anything/", {"file": big_file(3 * MB)})
    request.user = UserFactory(is_staff=True)

    files = files_of(request)

    assert files["file"].size == 3 * MB
    assert reached_django == []

    request = RequestFactory().post("/admin/anything/", {"file": big_file(3 * MB)})
    request.user = UserFactory(is_staff=False)
    assert files_of(request) == {}


def test_the_upload_routes_take_files_past_the_default_cap_within_the_plans_limit(
    settings, creator_client, creator_api, creator, tmp_path, media_root
):
    settings.UPLOAD_DEFAULT_MAX_REQUEST_BYTES = 1024  # far less than the clip: only the plan's limit applies
    clip = make_clip(tmp_path / "clip.mp4", seconds=1, size="96x54")
    assert clip.stat().st_size > 1024

    page = creator_client.post(reverse("videos:upload"), {"title": "Page", "file": upload_of(clip)})
    api = creator_api.post(reverse("api-video-upload"), {"title": "API", "file": upload_of(clip)})

    assert page.status_code == 302 and api.status_code == 201, api.content
    assert sorted(Video.objects.filter(owner=creator).values_list("title", flat=True)) == ["API", "Page"]
    # Both went on to Django's own handlers, whole.
    assert reached_django == [clip.stat().st_size] * 2
