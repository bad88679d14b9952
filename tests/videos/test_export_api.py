"""The export API: list, create, detail with progress and download link, cancel; rate limits and access."""

import io
import zipfile

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from rest_framework.test import APIClient

from billing import limits
from tests.videos.exports import ready_video
from videos.models import ExportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client, creator):
    api_client.force_authenticate(creator)
    return api_client


def test_an_export_is_created_followed_and_downloaded_through_the_api(
    api, creator, client, django_capture_on_commit_callbacks
):
    video, content = ready_video(owner=creator, title="Clip")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(reverse("api-export-list"), {"videos": [video.pk]}, format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "queued" and created["progress"] == 0 and created["videos"] == [video.pk]

    detail = api.get(reverse("api-export-detail", args=[created["id"]])).json()
    assert detail["status"] == "ready" and detail["progress"] == 100 and detail["size_bytes"] > len(content)
    download = client.get(detail["download_url"])
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert archive.read("clip.mp4") == content
    listed = api.get(reverse("api-export-list")).json()
    assert [job["id"] for job in listed["results"]] == [created["id"]]


def test_a_queued_export_can_be_cancelled_through_the_api(api, creator):
    video, _ = ready_video(owner=creator)
    job_id = api.post(reverse("api-export-list"), {"videos": [video.pk]}, format="json").json()["id"]

    response = api.post(reverse("api-export-cancel", args=[job_id]))
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = api.post(reverse("api-export-cancel", args=[job_id]))
    assert again.status_code == 400 and again.json()["code"] == "not_cancellable"


def test_bad_requests_get_json_4xx_and_write_nothing(api, creator, outsider):
    theirs, _ = ready_video(owner=outsider)
    allowed = limits.value(creator, limits.Limit.EXPORT_BATCH_SIZE)
    many = [ready_video(owner=creator, size=10)[0].pk for _ in range(allowed + 1)]

    assert api.post(reverse("api-export-list"), {"videos": []}, format="json").status_code == 400
    assert api.post(reverse("api-export-list"), {"videos": ["x"]}, format="json").status_code == 400
    assert api.post(reverse("api-export-list"), {"videos": [theirs.pk]}, format="json").status_code == 404
    too_many = api.post(reverse("api-export-list"), {"videos": many}, format="json")
    assert too_many.status_code == 402 and too_many.json()["code"] == "limit_export_batch_size"
    assert f"at most {allowed} videos at once" in too_many.json()["detail"]
    assert not ExportJob.objects.exists()


def test_another_persons_export_is_a_404(api, creator, outsider):
    video, _ = ready_video(owner=creator)
    job_id = api.post(reverse("api-export-list"), {"videos": [video.pk]}, format="json").json()["id"]
    other = APIClient()
    other.force_authenticate(outsider)

    assert other.get(reverse("api-export-detail", args=[job_id])).status_code == 404
    assert other.post(reverse("api-export-cancel", args=[job_id])).status_code == 404
    assert other.get(reverse("api-export-list")).json()["results"] == []
    assert other.get(reverse("api-export-detail", args=["99999999999"])).status_code == 404
    assert ExportJob.objects.get(pk=job_id).status == ExportJob.Status.QUEUED


def test_starting_and_cancelling_exports_is_rate_limited(api, creator, settings):
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "exports": "3/hour"},
    }
    video, _ = ready_video(owner=creator)
    codes = [api.post(reverse("api-export-list"), {"videos": [video.pk]}, format="json").status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    assert ExportJob.objects.count() == 3
    # Following progress is not a write and stays available.
    assert api.get(reverse("api-export-list")).status_code == 200


def test_signed_out_callers_get_nothing(api_client):
    assert api_client.get(reverse("api-export-list")).status_code in (401, 403)
