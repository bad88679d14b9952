"""A file larger than the plan's upload size is dropped while it arrives, before it reaches the disk."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from billing.models import Plan
from tests.videos.conftest import stored_files
from videos.models import MediaAsset, Video

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
SENT = 2 * MB
# Bytes of each file that reached Django's own handlers (the ones that write temporary files).
passed_on: list[int] = []


class BytesPassedOn(FileUploadHandler):
    """Listed in FILE_UPLOAD_HANDLERS for these tests: counts what the handlers before it let through."""

    def new_file(self, *args: object, **kwargs: object) -> None:
        super().new_file(*args, **kwargs)
        passed_on.append(0)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        passed_on[-1] += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@pytest.fixture(autouse=True)
def one_mb_plan(settings):
    Plan.objects.filter(is_default=True).update(upload_size_mb=1)
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.BytesPassedOn", *settings.FILE_UPLOAD_HANDLERS]
    passed_on.clear()


def too_big() -> SimpleUploadedFile:
    return SimpleUploadedFile("big.mp4", b"\0" * SENT, content_type="video/mp4")


def test_the_upload_page_drops_a_too_large_file_while_it_arrives_and_says_why(creator_client, media_root):
    response = creator_client.post(reverse("videos:upload"), {"title": "Big one", "file": too_big()})

    assert response.status_code == 200
    body = response.content.decode()
    assert "Upload size" in body and "This field is required" not in body
    assert 'value="Big one"' in body  # the other fields were still read
    assert passed_on and max(passed_on) <= 1 * MB < SENT
    assert not Video.objects.exists() and stored_files(media_root) == []


def test_the_api_drops_a_too_large_file_while_it_arrives_and_says_why(api_client, creator, media_root):
    api_client.force_authenticate(creator)
    response = api_client.post(reverse("api-video-upload"), {"title": "Big", "file": too_big()}, format="multipart")

    assert response.status_code == 400
    assert "Upload size" in response.json()["file"][0]
    assert passed_on and max(passed_on) <= 1 * MB < SENT
    assert not Video.objects.exists() and stored_files(media_root) == []


def test_the_upload_page_still_refuses_a_post_without_its_csrf_token(creator, media_root):
    client = Client(enforce_csrf_checks=True)
    client.force_login(creator)
    response = client.post(reverse("videos:upload"), {"title": "No token", "file": too_big()})

    assert response.status_code == 403
    assert not Video.objects.exists() and stored_files(media_root) == []


def test_the_api_drops_a_too_large_file_also_when_the_session_csrf_check_reads_the_body(creator, media_root):
    # SessionAuthentication checks the CSRF token in the form body, so it parses the upload while
    # authenticating, before the view runs: the limit must already be in place then.
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(creator)
    token = "a" * 32
    client.cookies["csrftoken"] = token
    data = {"csrfmiddlewaretoken": token, "title": "Big", "file": too_big()}
    response = client.post(reverse("api-video-upload"), data, format="multipart")

    assert response.status_code == 400
    assert "Upload size" in response.json()["file"][0]
    assert passed_on and max(passed_on) <= 1 * MB < SENT
    assert not Video.objects.exists() and stored_files(media_root) == []


def too_big_picture() -> SimpleUploadedFile:
    return SimpleUploadedFile("big.png", b"\0" * SENT, content_type="image/png")


def test_the_template_page_drops_a_too_large_slot_file_while_it_arrives_and_says_why_on_its_field(
    creator_client, template, media_root
):
    url = reverse("videos:template_use", args=[template.slug])
    response = creator_client.post(url, {"title": "Big slot", "duration": 2, "slot_picture": too_big_picture()})

    assert response.status_code == 200
    form = response.context["form"]
    assert "Upload size" in form.errors["slot_picture"][0]
    body = response.content.decode()
    assert "Upload size" in body and 'value="Big slot"' in body  # the other fields were still read
    assert passed_on and max(passed_on) <= 1 * MB < SENT
    assert not Video.objects.exists() and not MediaAsset.objects.exists() and stored_files(media_root) == []


def test_the_template_page_still_refuses_a_post_without_its_csrf_token(creator, template, media_root):
    client = Client(enforce_csrf_checks=True)
    client.force_login(creator)
    url = reverse("videos:template_use", args=[template.slug])
    response = client.post(url, {"title": "No token", "duration": 2, "slot_picture": too_big_picture()})

    assert response.status_code == 403
    assert not Video.objects.exists() and stored_files(media_root) == []


def test_the_api_create_drops_a_too_large_slot_file_while_it_arrives_and_says_why_on_its_field(
    api_client, creator, template, media_root
):
    api_client.force_authenticate(creator)
    data = {"template": template.slug, "duration": "2", "slot_picture": too_big_picture()}
    response = api_client.post(reverse("api-video-list"), data, format="multipart")

    assert response.status_code == 400
    assert "Upload size" in response.json()["slot_picture"][0]
    assert passed_on and max(passed_on) <= 1 * MB < SENT
    assert not Video.objects.exists() and not MediaAsset.objects.exists() and stored_files(media_root) == []


def test_the_api_create_drops_a_too_large_slot_file_also_when_the_session_csrf_check_reads_the_body(
    creator, template, media_root
):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(creator)
    token = "a" * 32
    client.cookies["csrftoken"] = token
    data = {"csrfmiddlewaretoken": token, "template": template.slug, "duration": "2", "slot_picture": too_big_picture()}
    response = client.post(reverse("api-video-list"), data, format="multipart")

    assert response.status_code == 400
    assert "Upload size" in response.json()["slot_picture"][0]
    assert passed_on and max(passed_on) <= 1 * MB < SENT
    assert not Video.objects.exists() and stored_files(media_root) == []


def test_the_api_create_still_takes_json_without_files(api_client, creator, template):
    api_client.force_authenticate(creator)
    response = api_client.post(reverse("api-video-list"), {"template": template.slug, "duration": 2}, format="json")

    assert response.status_code == 201, response.content
    assert Video.objects.get().template == template
