"""Media on S3 through django-storages, against a real S3 endpoint on loopback (moto's server)."""

import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.s3 import BUCKET

PAYLOAD = b"\x00\x00\x00\x18ftypmp42 fake bytes"


def test_upload_read_presign_and_delete(s3_storage):
    name = default_storage.save("videos/1/v1/video.mp4", ContentFile(PAYLOAD))
    assert name == "videos/1/v1/video.mp4"

    # The object is really in the bucket, as S3 itself reports it.
    head = s3_storage.head_object(Bucket=BUCKET, Key=name)
    assert head["ContentLength"] == len(PAYLOAD)

    with default_storage.open(name) as stored:
        assert stored.read() == PAYLOAD
    assert default_storage.size(name) == len(PAYLOAD)

    url = default_storage.url(name)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=600" in url
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback test server)
        assert response.read() == PAYLOAD

    # Saving under a taken name keeps both files.
    second = default_storage.save(name, ContentFile(b"other"))
    assert second != name

    default_storage.delete(name)
    default_storage.delete(second)
    assert not default_storage.exists(name)
    assert s3_storage.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0


def test_a_tampered_presigned_url_is_refused(s3_storage):
    name = default_storage.save("exports/archive.zip", ContentFile(b"zip"))
    url = default_storage.url(name).replace("exports/archive.zip", "exports/other.zip")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url, timeout=10)  # noqa: S310 (loopback test server)
    assert refused.value.code in (403, 404)
    default_storage.delete(name)


@pytest.mark.django_db
def test_healthz_checks_s3_storage(client, s3_storage):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["checks"]["storage"]["ok"] is True
    assert s3_storage.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0  # the probe cleans up


@pytest.mark.parametrize(
    ("name", "served_as"),
    [("videos/1/media/logo.png", "image/png"), ("template-imports/rows.html", "application/octet-stream")],
)
def test_a_presigned_url_serves_the_object_as_a_download_of_an_allowed_type_whatever_it_was_stored_with(
    s3_storage, name, served_as
):
    # As an object stored before uploads set their own metadata: a page, shown inline.
    s3_storage.put_object(Bucket=BUCKET, Key=name, Body=b"<script>alert(1)</script>", ContentType="text/html")

    with urllib.request.urlopen(default_storage.url(name), timeout=10) as response:  # noqa: S310 (loopback test server)
        assert response.headers["Content-Type"] == served_as
        assert response.headers["Content-Disposition"] == "attachment"

    default_storage.delete(name)
