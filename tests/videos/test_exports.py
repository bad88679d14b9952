"""Batch exports: the ZIP holds each stored video byte for byte; limits, access, cancel, crashes, expiry."""

import io
import os
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from billing import limits
from config.errors import DomainError, LimitReached, NotFound, PermissionDenied
from insights.event_names import PUBLIC_EVENTS
from insights.models import Event
from teams.models import Notification
from teams.notification_kinds import NotificationKind
from teams.services import team_delete, user_destroy
from tests.videos.exports import export_temp_folders, ready_video, zip_members
from tests.videos.factories import VideoFactory
from videos.models import ExportJob, Video
from videos.services import exports
from videos.services.exports import (
    export_build,
    export_cancel,
    export_claim,
    export_download_url,
    export_retry,
    export_start,
    exports_expire,
    exports_sweep_stalled,
)

pytestmark = pytest.mark.django_db


def test_the_zip_holds_every_chosen_video_byte_for_byte(creator, team, django_capture_on_commit_callbacks):
    # More than one chunk, and a second video with the same title, to prove chunking and unique names.
    first, first_bytes = ready_video(owner=creator, size=exports.CHUNK_BYTES * 2 + 12345, title="Launch day")
    second, second_bytes = ready_video(owner=creator, team=team, size=1000, title="Launch day")
    third, third_bytes = ready_video(owner=creator, size=77, title="Über Teaser!")

    with django_capture_on_commit_callbacks(execute=True):
        job = export_start(user=creator, video_ids=[first.pk, second.pk, third.pk])

    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY and job.progress == 100 and job.video_count == 3
    assert job.size_bytes == default_storage.size(job.file.name)
    assert zip_members(job) == {
        "launch-day.mp4": first_bytes,
        f"launch-day-{second.pk}.mp4": second_bytes,
        "uber-teaser.mp4": third_bytes,
    }
    assert timedelta(days=7) - timedelta(minutes=1) < job.expires_at - timezone.now() <= timedelta(days=7)
    assert not any(folder.name.startswith(f"{exports.TEMP_PREFIX}{job.pk}-") for folder in export_temp_folders())


def test_a_ready_export_is_announced_by_email_and_in_the_inbox(creator, django_capture_on_commit_callbacks):
    video, _content = ready_video(owner=creator)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_start(user=creator, video_ids=[video.pk])

    notification = Notification.objects.get(recipient=creator)
    assert notification.kind == NotificationKind.EXPORT_READY and notification.target_url == f"/exports/{job.pk}/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [creator.email] and f"Export #{job.pk} is ready to download" in message.subject
    assert f"/exports/{job.pk}/" in message.body and "works until" in message.body
    # ... and as the public `export.ready` event (DESIGN.md §3), once, in the same transaction.
    (event,) = Event.objects.filter(name="export.ready")
    assert event.payload["export_id"] == job.pk and event.name in PUBLIC_EVENTS


def test_an_export_counts_against_the_plan_through_the_usage_counter(creator, django_capture_on_commit_callbacks):
    video, _content = ready_video(owner=creator)
    with django_capture_on_commit_callbacks(execute=True):
        export_start(user=creator, video_ids=[video.pk])
        export_start(user=creator, video_ids=[video.pk])
    assert limits.usage(creator, limits.Metered.EXPORTS) == 2
    assert limits.usage(creator, limits.Metered.VIDEOS_CREATED) == 0


def test_more_videos_than_the_plan_exports_at_once_are_refused_with_a_clear_message(creator):
    allowed = limits.value(creator, limits.Limit.EXPORT_BATCH_SIZE)
    videos = [ready_video(owner=creator, size=10)[0] for _ in range(allowed + 1)]

    with pytest.raises(LimitReached) as refused:
        export_start(user=creator, video_ids=[video.pk for video in videos])

    assert str(refused.value.message) == (
        f"Your plan exports at most {allowed} videos at once; you chose {allowed + 1}. Choose fewer, or upgrade."
    )
    assert not ExportJob.objects.exists() and limits.usage(creator, limits.Metered.EXPORTS) == 0
    # Exactly the plan's number is fine.
    assert export_start(user=creator, video_ids=[video.pk for video in videos[:allowed]]).video_count == allowed


def test_only_videos_the_person_may_export_can_be_chosen(creator, outsider, team, team_viewer):
    mine, _ = ready_video(owner=creator)
    theirs, _ = ready_video(owner=outsider)
    in_team, _ = ready_video(owner=creator, team=team)

    with pytest.raises(NotFound):
        export_start(user=creator, video_ids=[mine.pk, theirs.pk])
    with pytest.raises(NotFound):
        export_start(user=creator, video_ids=[mine.pk, 999_999])
    with pytest.raises(NotFound):
        export_start(user=team_viewer, video_ids=[mine.pk])
    with pytest.raises(PermissionDenied):  # a viewer sees the team's videos but may not export them
        export_start(user=team_viewer, video_ids=[in_team.pk])
    with pytest.raises(DomainError, match="Choose at least one video"):
        export_start(user=creator, video_ids=[])
    assert not ExportJob.objects.exists()


def test_a_video_without_a_finished_file_is_refused(creator):
    unfinished = VideoFactory(owner=creator, title="Still rendering", status=Video.Status.RENDERING)
    with pytest.raises(DomainError, match="“Still rendering” has no finished file yet"):
        export_start(user=creator, video_ids=[unfinished.pk])


class CancellingStorage(FileSystemStorage):
    """Local storage where the person cancels the export while the first video is being copied."""

    job_id: int | None = None
    reads = 0

    def open(self, name, mode="rb"):
        return _CancelOnSecondRead(super().open(name, mode))


class _CancelOnSecondRead(io.RawIOBase):
    def __init__(self, handle):
        self.handle = handle

    def read(self, size=-1):
        CancellingStorage.reads += 1
        if CancellingStorage.reads == 2 and CancellingStorage.job_id:
            export_cancel(job=ExportJob.objects.get(pk=CancellingStorage.job_id))
        return self.handle.read(size)

    def close(self):
        self.handle.close()
        super().close()


def test_cancel_stops_the_build_at_the_next_chunk_and_leaves_no_files(creator, settings, media_root, monkeypatch):
    monkeypatch.setattr(exports, "CHECK_SECONDS", 0)  # check after every chunk, however fast the disk
    videos = [ready_video(owner=creator, size=exports.CHUNK_BYTES * 3)[0] for _ in range(3)]
    job = export_start(user=creator, video_ids=[video.pk for video in videos])
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.CancellingStorage", "OPTIONS": {"location": str(media_root)}},
    }
    CancellingStorage.job_id, CancellingStorage.reads = job.pk, 0

    assert export_build(job_id=job.pk) is False

    job.refresh_from_db()
    assert job.status == ExportJob.Status.CANCELLED and not job.file
    # It stopped within a chunk of the cancel, not after copying all nine.
    assert CancellingStorage.reads <= 3
    assert not (media_root / "exports").exists() or not any((media_root / "exports").rglob("*.zip"))
    assert not any(folder.name.startswith(f"{exports.TEMP_PREFIX}{job.pk}-") for folder in export_temp_folders())
    with pytest.raises(DomainError, match="still being prepared"):
        export_cancel(job=job)


def test_a_failed_build_is_marked_failed_with_no_files_left_and_can_be_retried(
    creator, django_capture_on_commit_callbacks
):
    video, content = ready_video(owner=creator)
    job = export_start(user=creator, video_ids=[video.pk])
    default_storage.delete(video.file.name)  # the stored video vanished

    assert export_build(job_id=job.pk) is False
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and job.error_message.startswith("The export could not be built.")
    assert not job.file and not any(
        folder.name.startswith(f"{exports.TEMP_PREFIX}{job.pk}-") for folder in export_temp_folders()
    )

    default_storage.save(video.file.name, ContentFile(content))
    with django_capture_on_commit_callbacks(execute=True):
        export_retry(job=job)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY and list(zip_members(job).values()) == [content]
    assert limits.usage(creator, limits.Metered.EXPORTS) == 1  # a retry is the same export


def test_an_attempt_whose_worker_died_is_built_again_and_can_never_finish_it(
    creator, settings, django_capture_on_commit_callbacks
):
    video, content = ready_video(owner=creator)
    job = export_start(user=creator, video_ids=[video.pk])
    dead_token = export_claim(job_id=job.pk)  # the worker that claimed it was killed mid-build
    assert export_build(job_id=job.pk) is False  # the redelivered task finds it claimed
    silent_since = timezone.now() - timedelta(seconds=settings.VIDEO_EXPORT_STALE_AFTER_SECONDS + 1)
    ExportJob.objects.filter(pk=job.pk).update(heartbeat_at=silent_since)
    # The dead attempt left its temporary folder behind; it is old.
    orphan = Path(tempfile.mkdtemp(prefix=f"{exports.TEMP_PREFIX}{job.pk}-{dead_token}-"))
    (orphan / "videos.zip").write_bytes(b"PK half a zip")
    os.utime(orphan, (silent_since.timestamp(), silent_since.timestamp()))

    with django_capture_on_commit_callbacks(execute=True):
        counts = exports_sweep_stalled()

    assert counts["reclaimed"] == 1 and counts["temp_removed"] >= 1 and not orphan.exists()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY and job.attempts == 2
    assert list(zip_members(job).values()) == [content]
    # The dead attempt, were it to wake up, can neither report progress nor finish the job.
    with pytest.raises(exports._Stop):
        exports._Progress(job_id=job.pk, token=dead_token, total=1).write(50)
    assert exports._export_finish(job=job, claim_token=dead_token, name="exports/x.zip", size=1) is False
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY and job.file.name != "exports/x.zip"


def test_an_export_that_keeps_stalling_is_marked_failed_not_lost(creator, settings):
    video, _ = ready_video(owner=creator)
    job = export_start(user=creator, video_ids=[video.pk])
    ExportJob.objects.filter(pk=job.pk).update(attempts=exports.MAX_ATTEMPTS - 1)
    export_claim(job_id=job.pk)
    ExportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(seconds=settings.VIDEO_EXPORT_STALE_AFTER_SECONDS + 1)
    )

    assert exports_sweep_stalled()["failed"] == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "stopped responding" in job.error_message


def test_a_queued_export_lost_on_the_way_to_the_broker_is_sent_again(creator, django_capture_on_commit_callbacks):
    video, _ = ready_video(owner=creator)
    job = export_start(user=creator, video_ids=[video.pk])  # its on_commit never ran: the message was lost
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=11))

    assert exports_sweep_stalled()["requeued"] == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY


def test_the_download_link_is_signed_and_expires_with_the_export(creator, client, django_capture_on_commit_callbacks):
    video, content = ready_video(owner=creator)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_start(user=creator, video_ids=[video.pk])
    job.refresh_from_db()

    url = export_download_url(job=job)
    assert "sig=" in url and "exp=" in url
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        assert archive.read(archive.namelist()[0]) == content
    # The link's own expiry is the export's (7 days), rounded up to the minute at most.
    expires = int(url.split("exp=")[1].split("&")[0])
    assert 0 <= expires - job.expires_at.timestamp() < 61
    # Without its signature, or with another expiry, the file is not served.
    assert client.get(url.split("?")[0]).status_code == 404
    assert client.get(url.replace(f"exp={expires}", f"exp={expires + 60}")).status_code == 404


def test_expired_exports_lose_their_link_and_their_zip(creator, django_capture_on_commit_callbacks):
    video, _ = ready_video(owner=creator)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_start(user=creator, video_ids=[video.pk])
        fresh = export_start(user=creator, video_ids=[video.pk])
    job.refresh_from_db()
    name = job.file.name
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    job.refresh_from_db()
    assert export_download_url(job=job) is None

    with django_capture_on_commit_callbacks(execute=True):
        assert exports_expire() == 1

    job.refresh_from_db()
    assert job.status == ExportJob.Status.EXPIRED and not job.file and not default_storage.exists(name)
    fresh.refresh_from_db()
    assert fresh.status == ExportJob.Status.READY and default_storage.exists(fresh.file.name)


def test_the_sweeper_and_the_expiry_run_on_beat_schedules():
    tasks = dict(PeriodicTask.objects.values_list("task", "interval__every"))
    assert tasks["videos.sweep_stalled_exports"] == 5
    assert tasks["videos.expire_exports"] == 60


def test_deleting_a_person_removes_their_exports_and_those_holding_their_videos(
    creator, teammate, team, staff, django_capture_on_commit_callbacks
):
    mine, _ = ready_video(owner=creator)
    in_team, _ = ready_video(owner=creator, team=team)
    teammates_own, _ = ready_video(owner=teammate, team=team)
    with django_capture_on_commit_callbacks(execute=True):
        own_export = export_start(user=creator, video_ids=[mine.pk])
        holds_creators_video = export_start(user=teammate, video_ids=[in_team.pk, teammates_own.pk])
        unrelated = export_start(user=teammate, video_ids=[teammates_own.pk])
    names = list(
        ExportJob.objects.filter(pk__in=[own_export.pk, holds_creators_video.pk]).values_list("file", flat=True)
    )

    with django_capture_on_commit_callbacks(execute=True):
        user_destroy(user=creator, actor=staff)

    assert list(ExportJob.objects.values_list("pk", flat=True)) == [unrelated.pk]
    assert not any(default_storage.exists(name) for name in names)


def test_deleting_a_team_removes_the_exports_holding_its_videos(
    creator, team, staff, django_capture_on_commit_callbacks
):
    in_team, _ = ready_video(owner=creator, team=team)
    personal, _ = ready_video(owner=creator)
    with django_capture_on_commit_callbacks(execute=True):
        team_export = export_start(user=creator, video_ids=[in_team.pk, personal.pk])
        personal_export = export_start(user=creator, video_ids=[personal.pk])
    team_export.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        team_delete(team=team, actor=staff)

    assert list(ExportJob.objects.values_list("pk", flat=True)) == [personal_export.pk]
    assert not default_storage.exists(team_export.file.name)
