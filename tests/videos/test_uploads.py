"""Uploading existing videos: probed with ffprobe, checked against the plan, nothing stored on failure."""

import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from billing.models import Plan
from config.errors import DomainError, LimitReached
from insights.models import Event
from tests.videos.conftest import stored_files
from tests.videos.media_tools import ffprobe_json, make_clip, upload_of
from videos.models import Video, VideoVersion
from videos.services import video_upload

pytestmark = pytest.mark.django_db


def test_uploading_a_real_video_stores_it_as_v1_with_a_thumbnail(creator_client, creator, tmp_path, media_root):
    clip = make_clip(tmp_path / "holiday.mp4", seconds=1.5, size="96x54")
    response = creator_client.post(reverse("videos:upload"), {"title": "Holiday", "file": upload_of(clip)})

    video = Video.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("videos:detail", args=[video.pk])
    assert video.owner == creator and video.source == Video.Source.UPLOAD and video.status == Video.Status.READY
    assert (video.width, video.height) == (96, 54)
    assert video.duration_seconds == pytest.approx(1.5, abs=0.1)
    version = video.versions.get()
    assert version.number == 1 and version.status == VideoVersion.Status.READY
    assert stored_files(media_root) == [f"videos/{video.pk}/v1/thumbnail.jpg", f"videos/{video.pk}/v1/video.mp4"]
    # What is stored is our remux of the clip's tracks, not the uploaded bytes.
    stored = ffprobe_json(media_root / version.file.name)
    assert stored["format"]["format_name"].startswith("mov,mp4")
    assert [s["codec_name"] for s in stored["streams"]] == [s["codec_name"] for s in ffprobe_json(clip)["streams"]]
    assert Event.objects.filter(name="video.created", subject_id=str(video.pk)).exists()


def test_a_file_that_is_not_a_video_is_refused_and_nothing_is_stored(creator_client, media_root):
    text = SimpleUploadedFile("notes.mp4", b"These are my notes, not a video." * 20, content_type="video/mp4")
    response = creator_client.post(reverse("videos:upload"), {"title": "Notes", "file": text})

    assert response.status_code == 200
    assert "not a video" in response.content.decode()
    assert not Video.objects.exists() and not VideoVersion.objects.exists()
    assert stored_files(media_root) == []


def test_a_truncated_video_is_refused_and_nothing_is_stored(creator_client, tmp_path, media_root):
    clip = make_clip(tmp_path / "whole.mp4", seconds=2, size="96x54")
    data = clip.read_bytes()
    # Cut off as an interrupted transfer would: the first 60 % of the bytes.
    cut = SimpleUploadedFile("cut.mp4", data[: int(len(data) * 0.6)], content_type="video/mp4")
    response = creator_client.post(reverse("videos:upload"), {"title": "Cut", "file": cut})

    assert response.status_code == 200
    body = response.content.decode()
    assert "damaged" in body or "incomplete" in body
    assert not Video.objects.exists()
    assert stored_files(media_root) == []


def test_a_video_truncated_at_the_end_is_refused(creator, tmp_path):
    # faststart puts the index first, so ffprobe still reads it; only reading the packets shows the gap.
    clip = tmp_path / "fast.mp4"
    make_clip(tmp_path / "raw.mp4", seconds=2, size="96x54")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(tmp_path / "raw.mp4"), "-c", "copy", "-movflags", "+faststart", str(clip)],
        check=True,
    )
    data = clip.read_bytes()
    with pytest.raises(DomainError):
        video_upload(
            user=creator, team=None, title="x", upload=SimpleUploadedFile("x.mp4", data[: int(len(data) * 0.7)])
        )
    assert not Video.objects.exists()


def test_a_video_larger_than_the_plan_allows_is_refused_before_it_is_probed(
    creator_client, monkeypatch, tmp_path, media_root
):
    Plan.objects.filter(is_default=True).update(upload_size_mb=1)
    big = SimpleUploadedFile("big.mp4", b"\0" * (1024 * 1024 + 10), content_type="video/mp4")
    response = creator_client.post(reverse("videos:upload"), {"title": "Big", "file": big})

    assert response.status_code == 200
    assert "Upload size" in response.content.decode()
    assert not Video.objects.exists()
    assert stored_files(media_root) == []


def test_the_monthly_video_limit_applies_to_uploads(creator, monkeypatch, tmp_path):
    Plan.objects.filter(is_default=True).update(videos_per_month=1)
    clip = make_clip(tmp_path / "a.mp4", seconds=0.5)
    video_upload(user=creator, team=None, title="one", upload=upload_of(clip))
    with pytest.raises(LimitReached):
        video_upload(user=creator, team=None, title="two", upload=upload_of(clip))
    assert Video.objects.count() == 1


def test_deleting_a_video_does_not_give_back_its_place_in_the_monthly_limit(creator, team, tmp_path):
    from videos.services import video_delete

    Plan.objects.filter(is_default=True).update(videos_per_month=1)
    clip = make_clip(tmp_path / "a.mp4", seconds=0.5)
    first = video_upload(user=creator, team=None, title="one", upload=upload_of(clip))
    video_delete(video=first, actor=creator)
    with pytest.raises(LimitReached):
        video_upload(user=creator, team=None, title="two", upload=upload_of(clip))
    assert not Video.objects.exists()
    # The team is another account: its own month is untouched by the personal space, and vice versa.
    in_team = video_upload(user=creator, team=team, title="team", upload=upload_of(clip))
    video_delete(video=in_team, actor=creator)
    with pytest.raises(LimitReached):
        video_upload(user=creator, team=team, title="team again", upload=upload_of(clip))


def test_uploading_through_the_api(api_client, creator, tmp_path):
    api_client.force_authenticate(creator)
    clip = make_clip(tmp_path / "api.mp4", seconds=1, size="64x36", audio=False)
    response = api_client.post(
        reverse("api-video-upload"), {"title": "By API", "file": upload_of(clip)}, format="multipart"
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "ready" and response.json()["width"] == 64
    assert response.json()["file_url"].startswith("http://testserver/")

    bad = SimpleUploadedFile("bad.mp4", b"nope" * 100)
    response = api_client.post(reverse("api-video-upload"), {"file": bad}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()
    assert Video.objects.count() == 1


def test_the_uploaded_file_plays_back_as_stored(creator, tmp_path):
    clip = make_clip(tmp_path / "plays.mp4", seconds=1)
    video = video_upload(user=creator, team=None, title="plays", upload=upload_of(clip))
    local = Path(tmp_path / "back.mp4")
    with default_storage.open(video.file.name) as handle:
        local.write_bytes(handle.read())
    assert {s["codec_name"] for s in ffprobe_json(local)["streams"]} == {"h264", "aac"}
