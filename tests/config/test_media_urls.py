"""Local media is served only through signed, expiring URLs: the same security model as S3's presigned ones."""

import importlib
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import clear_url_caches, reverse

import config.urls
from tests.factories import UserFactory
from tests.videos.factories import VideoFactory

PAYLOAD = bytes(range(256)) * 40  # 10 240 bytes, every byte value, so a slice shows where it came from


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def stored() -> str:
    return default_storage.save("videos/7/v1/video.mp4", ContentFile(PAYLOAD))


@pytest.fixture
def debug_urls(settings):
    """The URLs as the embedded default builds them, with DEBUG on (`make run`)."""
    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def signed_path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def with_query(url: str, **changes: str) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return f"{parts.path}?{urlencode({**query, **changes})}"


def test_a_stored_files_url_is_signed_and_expires_after_the_configured_time(stored, settings):
    settings.MEDIA_URL_EXPIRE_SECONDS = 600
    url = default_storage.url(stored)

    parts = urlsplit(url)
    assert parts.path == "/media/videos/7/v1/video.mp4"
    query = parse_qs(parts.query)
    assert set(query) == {"exp", "sig"}
    expires_in = int(query["exp"][0]) - time.time()
    assert 600 <= expires_in <= 600 + 60  # rounded up to the minute, so a page's URLs stay stable for a while


def test_a_valid_url_serves_the_file_as_a_download_that_is_never_sniffed(client, stored):
    response = client.get(signed_path(default_storage.url(stored)))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PAYLOAD
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(len(PAYLOAD))
    assert response["Content-Disposition"] == 'attachment; filename="video.mp4"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"].startswith("private")


@pytest.mark.usefixtures("debug_urls")
def test_with_debug_on_an_unsigned_url_is_refused(client, stored):
    response = client.get("/media/videos/7/v1/video.mp4")

    assert response.status_code == 404
    assert not getattr(response, "streaming", False) or b"".join(response.streaming_content) != PAYLOAD


@pytest.mark.usefixtures("debug_urls")
def test_with_debug_on_a_signed_url_still_works(client, stored):
    response = client.get(signed_path(default_storage.url(stored)))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PAYLOAD


def test_a_url_whose_signature_was_changed_is_refused(client, stored):
    url = default_storage.url(stored)
    signature = parse_qs(urlsplit(url).query)["sig"][0]
    forged = signature[:-1] + ("A" if signature[-1] != "A" else "B")

    assert client.get(with_query(url, sig=forged)).status_code == 404
    assert client.get(with_query(url, sig="")).status_code == 404
    assert client.get(urlsplit(url).path).status_code == 404  # no signature at all


def test_a_signature_does_not_open_another_file(client, stored):
    other = default_storage.save("videos/8/v1/video.mp4", ContentFile(b"someone else's video"))
    url = default_storage.url(stored)

    response = client.get(signed_path(url).replace(stored, other))

    assert response.status_code == 404


def test_a_url_whose_expiry_was_extended_is_refused(client, stored):
    url = default_storage.url(stored)
    later = int(parse_qs(urlsplit(url).query)["exp"][0]) + 86_400

    assert client.get(with_query(url, exp=str(later))).status_code == 404
    assert client.get(with_query(url, exp="soon")).status_code == 404


def test_an_expired_url_is_refused(client, stored):
    # Signed correctly, with an expiry that has passed.
    url = default_storage.url(stored, expire=-120)

    assert client.get(signed_path(url)).status_code == 404


def test_a_signed_name_outside_the_media_folder_is_refused(client, media_root, stored):
    secret = media_root.parent / "secret.txt"
    secret.write_text("not media")
    # Even a correctly signed name cannot leave the media folder.
    url = default_storage.url("videos/../../secret.txt")

    response = client.get(signed_path(url))

    assert response.status_code == 404


def test_a_missing_file_is_refused(client):
    url = default_storage.url("videos/9/v1/video.mp4")

    assert client.get(signed_path(url)).status_code == 404


def test_a_range_request_gets_just_those_bytes(client, stored):
    path = signed_path(default_storage.url(stored))

    response = client.get(path, HTTP_RANGE="bytes=100-299")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == PAYLOAD[100:300]
    assert response["Content-Range"] == f"bytes 100-299/{len(PAYLOAD)}"
    assert response["Content-Length"] == "200"
    assert response["Content-Disposition"] == 'attachment; filename="video.mp4"'

    # Open-ended and suffix ranges, as players send them.
    response = client.get(path, HTTP_RANGE="bytes=10000-")
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == PAYLOAD[10000:]
    assert response["Content-Range"] == f"bytes 10000-{len(PAYLOAD) - 1}/{len(PAYLOAD)}"
    response = client.get(path, HTTP_RANGE="bytes=-40")
    assert b"".join(response.streaming_content) == PAYLOAD[-40:]

    # An end past the file is cut to the file.
    response = client.get(path, HTTP_RANGE="bytes=10200-99999")
    assert b"".join(response.streaming_content) == PAYLOAD[10200:]


def test_a_range_outside_the_file_is_unsatisfiable(client, stored):
    response = client.get(signed_path(default_storage.url(stored)), HTTP_RANGE=f"bytes={len(PAYLOAD)}-")

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(PAYLOAD)}"


def test_a_malformed_range_gets_the_whole_file(client, stored):
    response = client.get(signed_path(default_storage.url(stored)), HTTP_RANGE="bytes=5-1")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PAYLOAD


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("videos/7/thumb.jpg", "image/jpeg"),
        ("brands/logo.png", "image/png"),
        ("exports/batch.zip", "application/zip"),
        # Whatever name a file was stored under, nothing is served as a page or a script.
        ("videos/7/media/x.html", "application/octet-stream"),
        ("videos/7/media/x.svg", "application/octet-stream"),
        ("videos/7/media/x", "application/octet-stream"),
    ],
)
def test_the_content_type_comes_from_the_stored_extension_and_an_allow_list(client, name, content_type):
    name = default_storage.save(name, ContentFile(b"<script>alert(1)</script>"))

    response = client.get(signed_path(default_storage.url(name)))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")


def test_only_get_and_head_are_served(client, stored):
    assert client.post(signed_path(default_storage.url(stored))).status_code == 405


@pytest.mark.django_db
def test_the_api_hands_out_a_signed_url_that_the_media_route_serves(api_client, stored):
    owner = UserFactory()
    video = VideoFactory(owner=owner, file=stored)
    api_client.force_authenticate(owner)

    file_url = api_client.get(reverse("api-video-detail", args=[video.pk])).json()["file_url"]

    assert file_url.startswith("http://testserver/media/videos/7/v1/video.mp4?")
    response = api_client.get(signed_path(file_url))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PAYLOAD


def test_media_url_route_is_off_when_media_is_on_s3(client, settings, stored):
    url = default_storage.url(stored)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "media"}},
    }

    assert client.get(signed_path(url)).status_code == 404
