"""Batch exports: a ZIP (stored, not recompressed) of videos a person may access, built by a worker.

The ZIP is written member by member, chunk by chunk, into a temporary file that is then handed to
storage; no video is ever held in memory whole. Each build claims the job with a token (one
conditional UPDATE, as renders do); every progress step is an UPDATE fenced by that token, which
doubles as the cancel check, and only the holder of the current token can finish or fail the job,
so a cancelled job, or one a later attempt took over, is never marked ready by a late attempt.
"""

import logging
import re
import secrets
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from billing import limits
from billing.services.usage import usage_record
from config.errors import DomainError, LimitReached, NotFound
from insights.event_names import EventName
from insights.events import record_event
from teams.models import User
from teams.notification_kinds import NotificationKind
from teams.permissions import Action
from teams.services.emails import email_queue
from teams.services.notifications import notification_send
from videos.media import delete_from_storage
from videos.models import ExportJob
from videos.permissions import videos_get_for_user

logger = logging.getLogger(__name__)

CHUNK_BYTES = 1024 * 1024
CHECK_SECONDS = 0.2
MAX_ATTEMPTS = 3
TEMP_PREFIX = "video-export-"


class _Stop(Exception):
    """The build lost its claim: cancelled, or taken over by a later attempt."""


def _account(user: User) -> User:
    # Exports are personal: the person's own plan decides the batch size and counts the export.
    return user


@transaction.atomic
def export_start(*, user: User, video_ids: list[int]) -> ExportJob:
    """Start an export of the given videos (all of which the user may export) and queue its build."""
    ids = list(dict.fromkeys(int(video_id) for video_id in video_ids))
    if not ids:
        raise DomainError(_("Choose at least one video to export."), code="no_videos", field="videos")
    account = _account(user)
    batch = limits.value(account, limits.Limit.EXPORT_BATCH_SIZE)
    if batch is not None and len(ids) > int(batch):
        raise LimitReached(
            _("Your plan exports at most %(limit)d videos at once; you chose %(count)d. Choose fewer, or upgrade.")
            % {"limit": int(batch), "count": len(ids)},
            code="limit_export_batch_size",
        )
    videos = videos_get_for_user(user=user, video_ids=ids, action=Action.EXPORT)
    unfinished = [video.title for video in videos if not video.file]
    if unfinished:
        raise DomainError(
            _("“%(title)s” has no finished file yet; export it once it is ready.") % {"title": unfinished[0]},
            code="video_not_ready",
            field="videos",
        )
    # Two starts at once would both pass a monthly check: the person's row is the lock.
    if not User.objects.select_for_update().filter(pk=user.pk).exists():
        raise NotFound()
    limits.check_usage(account, limits.Metered.EXPORTS)
    job = ExportJob.objects.create(owner=user, video_count=len(videos))
    job.videos.set(videos)
    usage_record(account=account, kind=limits.Metered.EXPORTS)
    record_event(name=EventName.EXPORT_STARTED, actor=user, subject=job, payload={"videos": len(videos)})
    _enqueue_build(job)
    return job


def _enqueue_build(job: ExportJob) -> None:
    from videos.tasks import export_build_task

    transaction.on_commit(lambda: export_build_task.delay(job.pk))


def export_claim(*, job_id: int) -> str | None:
    """Claim a queued (or stalled) export for this attempt; its claim token, or None."""
    token = secrets.token_hex(8)
    now = timezone.now()
    claimed = (
        ExportJob.objects.claimable(now=now)
        .filter(pk=job_id)
        .update(
            status=ExportJob.Status.RUNNING,
            started_at=now,
            heartbeat_at=now,
            progress=0,
            error_message="",
            claim_token=token,
            attempts=F("attempts") + 1,
        )
    )
    return token if claimed else None


def _members(job: ExportJob) -> list[tuple[str, str, int]]:
    """(stored name, name in the ZIP, size) of each video, in title order, with unique ZIP names."""
    members, taken = [], set()
    for video_id, title, name in job.videos.order_by("title", "pk").values_list("pk", "title", "file"):
        if not name:
            raise DomainError(_("A video of this export no longer has a file."))
        suffix = PurePosixPath(name).suffix.lower() or ".mp4"
        stem = slugify(title)[:80] or "video"
        arcname = f"{stem}{suffix}"
        if arcname in taken:
            arcname = f"{stem}-{video_id}{suffix}"
        taken.add(arcname)
        members.append((name, arcname, default_storage.size(name)))
    return members


class _Progress:
    """Writes progress and the heartbeat, fenced by the claim; raises _Stop once the claim is gone."""

    def __init__(self, *, job_id: int, token: str, total: int) -> None:
        self.job_id, self.token, self.total = job_id, token, max(total, 1)
        self.done, self.percent, self.written_at = 0, 0, time.monotonic()

    def add(self, count: int) -> None:
        self.done += count
        # 99 at most until the ZIP is stored: 100 % means ready to download.
        percent = min(99, int(100 * self.done / self.total))
        # Each write is one committed UPDATE that also checks the claim (cancel): between chunks,
        # at most every CHECK_SECONDS, so a cancel stops the build within that time and a chunk.
        if time.monotonic() - self.written_at >= CHECK_SECONDS:
            self.write(percent)

    def write(self, percent: int) -> None:
        alive = ExportJob.objects.filter(pk=self.job_id, status=ExportJob.Status.RUNNING, claim_token=self.token)
        if not alive.update(progress=percent, heartbeat_at=timezone.now()):
            raise _Stop
        self.percent, self.written_at = percent, time.monotonic()


class _LocalZip(File):
    # FileSystemStorage moves a file that has a temporary path instead of copying it; S3 uploads it.
    def __init__(self, handle: object, path: Path) -> None:
        super().__init__(handle, name=path.name)
        self._path = path
        self.content_type = "application/zip"

    def temporary_file_path(self) -> str:
        return str(self._path)


def write_zip(
    *, members: list[tuple[str, str, int]], target: Path, on_bytes: Callable[[int], None] | None = None
) -> None:
    """Write stored files into a new ZIP at `target` (STORED), copying each in CHUNK_BYTES pieces."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for name, arcname, size in members:
            info = zipfile.ZipInfo(arcname, date_time=time.gmtime()[:6])
            info.compress_type = zipfile.ZIP_STORED
            info.file_size = size
            with default_storage.open(name, "rb") as source, archive.open(info, "w") as sink:
                while chunk := source.read(CHUNK_BYTES):
                    sink.write(chunk)
                    if on_bytes is not None:
                        on_bytes(len(chunk))


def export_build(*, job_id: int) -> bool:
    """Build a claimed export's ZIP into storage; True if this call finished it.

    Safe to run twice, after a crash, or alongside a slow earlier attempt (see the module's note).
    """
    token = export_claim(job_id=job_id)
    if token is None:
        return False
    job = ExportJob.objects.get(pk=job_id)
    stored: list[str] = []
    try:
        members = _members(job)
        progress = _Progress(job_id=job_id, token=token, total=sum(size for _name, _arc, size in members))
        with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{job_id}-{token}-") as tmp:
            local = Path(tmp) / f"videos-{job_id}.zip"
            write_zip(members=members, target=local, on_bytes=progress.add)
            progress.write(99)
            size = local.stat().st_size
            name = job.storage_path(token)
            delete_from_storage([name])  # a leftover of this very attempt, never another's
            with local.open("rb") as handle:
                stored.append(default_storage.save(name, _LocalZip(handle, local)))
    except _Stop:
        # Cancelled, or a later attempt holds the job now: this attempt's files belong to nobody.
        delete_from_storage(stored)
        return False
    except (OperationalError, InterfaceError):
        # The database went away: hand the job back so the task's automatic retry can claim it.
        delete_from_storage(stored)
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING, claim_token=token).update(
            status=ExportJob.Status.QUEUED, claim_token=""
        )
        raise
    except Exception as exc:
        logger.exception("Export %s failed", job_id)
        delete_from_storage(stored)
        export_mark_failed(job_id=job_id, claim_token=token, detail=str(exc))
        return False
    return _export_finish(job=job, claim_token=token, name=stored[0], size=size)


def _export_finish(*, job: ExportJob, claim_token: str, name: str, size: int) -> bool:
    now = timezone.now()
    expires_at = now + timedelta(days=settings.VIDEO_EXPORT_LINK_DAYS)
    with transaction.atomic():
        finished = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING, claim_token=claim_token).update(
            status=ExportJob.Status.READY,
            progress=100,
            file=name,
            size_bytes=size,
            finished_at=now,
            heartbeat_at=now,
            expires_at=expires_at,
        )
        if not finished:
            transaction.on_commit(lambda: delete_from_storage([name]))
            return False
        job.refresh_from_db()
        record_event(
            name=EventName.EXPORT_READY,
            actor=job.owner,
            subject=job,
            payload={"export_id": job.pk, "videos": job.video_count, "size_bytes": size},
        )
        _announce_ready(job)
    return True


def _announce_ready(job: ExportJob) -> None:
    owner = job.owner
    page = reverse("videos:export_detail", args=[job.pk])
    # The e-mail below carries the link and its expiry, so the notification sends none of its own.
    notification_send(
        recipient=owner, kind=NotificationKind.EXPORT_READY, params={"export": job.label}, target_url=page, email=False
    )
    if owner.is_active and owner.email:
        email_queue(
            to=owner.email,
            template="videos/email/export_ready",
            context={
                "user": owner,
                "job": job,
                "url": settings.SITE_URL.rstrip("/") + page,
                "expires_at": job.expires_at,
            },
            language=owner.language,
        )


def export_mark_failed(*, job_id: int, claim_token: str, detail: str = "", message: str | None = None) -> bool:
    """Fail the build held under `claim_token` with a readable message; False if the claim passed on."""
    message = message or _("The export could not be built. Try again.")
    detail = re.sub(r"/\S+", "…", detail)[:300]  # the reason, not our paths
    return bool(
        ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING, claim_token=claim_token).update(
            status=ExportJob.Status.FAILED,
            error_message=f"{message} ({detail})" if detail else message,
            finished_at=timezone.now(),
            claim_token="",
        )
    )


@transaction.atomic
def export_cancel(*, job: ExportJob) -> ExportJob:
    """Cancel a queued or running export; the build stops at its next chunk and deletes its files.

    `job` comes from `videos.permissions.export_get_for_user`, or from the ops console.
    """
    cancelled = (
        ExportJob.objects.active()
        .filter(pk=job.pk)
        .update(status=ExportJob.Status.CANCELLED, finished_at=timezone.now(), claim_token="")
    )
    if not cancelled:
        raise DomainError(_("Only an export that is still being prepared can be cancelled."), code="not_cancellable")
    job.refresh_from_db()
    return job


@transaction.atomic
def export_retry(*, job: ExportJob) -> ExportJob:
    """Build a failed or cancelled export again (the ops console's action); it is not counted twice."""
    retried = ExportJob.objects.filter(
        pk=job.pk, status__in=[ExportJob.Status.FAILED, ExportJob.Status.CANCELLED]
    ).update(status=ExportJob.Status.QUEUED, progress=0, error_message="", attempts=0, finished_at=None)
    if not retried:
        raise DomainError(_("Only a failed or cancelled export can be tried again."), code="not_retryable")
    job.refresh_from_db()
    _enqueue_build(job)
    return job


@transaction.atomic
def export_delete(*, job: ExportJob) -> None:
    """Delete an export and, once that commits, its ZIP (if a build is still running it stops)."""
    names = [job.file.name] if job.file else []
    job.delete()
    transaction.on_commit(lambda: delete_from_storage(names))


def exports_expire(*, now: datetime | None = None) -> int:
    """Expire ready exports whose link has run out and delete their ZIPs; how many expired."""
    now = now or timezone.now()
    expired = 0
    for job_id, name in ExportJob.objects.filter(status=ExportJob.Status.READY, expires_at__lte=now).values_list(
        "pk", "file"
    )[:1000]:
        with transaction.atomic():
            if ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.READY).update(
                status=ExportJob.Status.EXPIRED, file=""
            ):
                expired += 1
                transaction.on_commit(lambda name=name: delete_from_storage([name]))
    return expired


def exports_sweep_stalled(*, now: datetime | None = None) -> dict[str, int]:
    """Send lost and stalled exports to a worker again; fail those that stalled MAX_ATTEMPTS times;
    remove temporary folders that no running build holds (a killed worker could not)."""
    from videos.tasks import export_build_task

    now = now or timezone.now()
    counts = {"requeued": 0, "reclaimed": 0, "failed": 0, "temp_removed": 0}
    for job_id, status, attempts, token in ExportJob.objects.stalled(now=now).values_list(
        "pk", "status", "attempts", "claim_token"
    )[:1000]:
        if status == ExportJob.Status.QUEUED:
            export_build_task.delay(job_id)
            counts["requeued"] += 1
        elif attempts < MAX_ATTEMPTS:
            # The worker went silent mid-build (killed, or its machine gone): hand the job back,
            # fenced on the silent attempt's token, and build it again from the start.
            if ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING, claim_token=token).update(
                status=ExportJob.Status.QUEUED, claim_token=""
            ):
                export_build_task.delay(job_id)
                counts["reclaimed"] += 1
        elif export_mark_failed(job_id=job_id, claim_token=token, detail=_("the export stopped responding")):
            counts["failed"] += 1
    counts["temp_removed"] = _remove_orphan_temp_folders()
    return counts


def _remove_orphan_temp_folders() -> int:
    # A folder is an orphan when no running build holds its job and token, and it is older than the
    # stale time (so a build that claimed just after the query below is never robbed of its folder).
    old_before = time.time() - settings.VIDEO_EXPORT_STALE_AFTER_SECONDS
    running = {
        f"{job_id}-{token}"
        for job_id, token in ExportJob.objects.filter(status=ExportJob.Status.RUNNING).values_list("pk", "claim_token")
    }
    removed = 0
    for folder in Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}*"):
        parts = folder.name[len(TEMP_PREFIX) :].split("-")
        if len(parts) >= 2 and f"{parts[0]}-{parts[1]}" not in running and folder.stat().st_mtime < old_before:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def export_download_url(*, job: ExportJob) -> str | None:
    """A signed URL of the ZIP that expires with the export's link; None once it may not be downloaded."""
    if not job.is_downloadable:
        return None
    seconds = int((job.expires_at - timezone.now()).total_seconds())
    return default_storage.url(job.file.name, expire=max(seconds, 1))


__all__ = [
    "export_build",
    "export_cancel",
    "export_claim",
    "export_delete",
    "export_download_url",
    "export_mark_failed",
    "export_retry",
    "export_start",
    "exports_expire",
    "exports_sweep_stalled",
    "write_zip",
]
