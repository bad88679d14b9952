"""The export on S3 (moto's server on loopback): the ZIP is uploaded from its temporary file, its link
is presigned for the export's 7 days, and expiry deletes the object."""

import io
import urllib.request
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.s3 import BUCKET
from tests.videos.exports import ready_video
from videos.models import ExportJob
from videos.services import exports
from videos.services.exports import export_download_url, export_start, exports_expire

pytestmark = pytest.mark.django_db


def test_an_export_on_s3_holds_each_video_byte_for_byte_behind_a_presigned_link(
    s3_storage,
    creator,
    django_capture_on_commit_callbacks,
):
    first, first_bytes = ready_video(owner=creator, title="Alpha", size=exports.CHUNK_BYTES + 999)
    second, second_bytes = ready_video(owner=creator, title="Beta", size=4321)

    with django_capture_on_commit_callbacks(execute=True):
        job = export_start(user=creator, video_ids=[first.pk, second.pk])
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY

    head = s3_storage.head_object(Bucket=BUCKET, Key=job.file.name)
    assert head["ContentLength"] == job.size_bytes and head["ContentType"] == "application/zip"
    url = export_download_url(job=job)
    expires = int(url.split("X-Amz-Expires=")[1].split("&")[0])
    assert 7 * 24 * 3600 - 60 <= expires <= 7 * 24 * 3600
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback test server)
        body = response.read()
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
        assert archive.read("alpha.mp4") == first_bytes and archive.read("beta.mp4") == second_bytes

    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert exports_expire() == 1
    assert not default_storage.exists(job.file.name)
    for video in (first, second):
        default_storage.delete(video.file.name)
    assert s3_storage.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0
