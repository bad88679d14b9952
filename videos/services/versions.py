"""Versions: rendering a queued version, restoring an old one, and keeping only the latest N."""

import logging
import re
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import limits
from config.errors import DomainError
from insights.event_names import EventName
from insights.events import record_event
from teams.models import User
from teams.notification_kinds import NotificationKind
from teams.services import notification_send
from videos.media import (
    Probe,
    copy_in_storage,
    delete_from_storage,
    download_from_storage,
    probe,
    save_to_storage,
)
from videos.models import BulkRow, Video, VideoVersion
from videos.render.ffmpeg import RenderTimeout, render_spec
from videos.selectors import account_for
from videos.services.branding_render import brand_new_render, brand_stored_video
from videos.signals import render_settled

logger = logging.getLogger(__name__)
DEFAULT_VERSIONS_KEPT = 5


def next_version_number(*, video: Video) -> int:
    """The next free version number; call with the video row locked (select_for_update)."""
    return (video.versions.aggregate(last=Max("number"))["last"] or 0) + 1


def version_claim(*, version_id: int) -> str | None:
    """Claim a queued (or stalled) render for this attempt; its claim token, or None if not claimable.

    One conditional UPDATE, so two attempts never both hold a version. A later claim (after the
    stale time) gets a new token, and the earlier attempt can then neither finish nor fail it.
    """
    token = secrets.token_hex(8)
    now = timezone.now()
    claimed = (
        VideoVersion.objects.claimable(now=now)
        .filter(pk=version_id)
        .update(status=VideoVersion.Status.RENDERING, started_at=now, progress=0, error_message="", claim_token=token)
    )
    return token if claimed else None


def version_render(*, version_id: int) -> bool:
    """Render a queued version into storage; True if this call did the work.

    Safe to run twice, after a crash, or alongside a slow earlier attempt: only the attempt holding
    the current claim may finish or fail the version, and each attempt stores its files under its
    own claim token, so no attempt ever replaces or deletes another's files.
    """
    token = version_claim(version_id=version_id)
    if token is None:
        return False
    version = VideoVersion.objects.select_related("video__template").get(pk=version_id)
    Video.objects.filter(pk=version.video_id).update(status=Video.Status.RENDERING, status_message="")
    names: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="render-") as tmp:
            work = Path(tmp)
            spec = version.render_spec or {}

            def on_progress(percent: int) -> None:
                VideoVersion.objects.filter(pk=version_id, claim_token=token).update(progress=percent)

            if spec.get("base"):
                # Branding applied to a finished version: only the logo is added (videos.services.branding).
                result = brand_stored_video(spec["base"], spec["branding"], work=work, on_progress=on_progress)
            else:
                media = {}
                for index, scene in enumerate(spec.get("scenes", [])):
                    name = (scene.get("media") or {}).get("name")
                    if name and name not in media:
                        media[name] = str(download_from_storage(name, work / f"media-{index}{Path(name).suffix}"))
                result = render_spec(
                    spec,
                    aspect_ratio=version.video.template.aspect_ratio if version.video.template else "9:16",
                    work_dir=work,
                    media=media,
                    quality=spec.get("quality", "final"),
                    on_progress=on_progress,
                )
                result = brand_new_render(video=version.video, spec=spec, result=result, work=work)
            rendered = probe(result.video_path)
            extension = result.video_path.suffix or ".mp4"
            names.append(save_to_storage(result.video_path, version.storage_path(f"{token}/video{extension}")))
            names.append(save_to_storage(result.thumbnail_path, version.storage_path(f"{token}/thumbnail.jpg")))
    except (OperationalError, InterfaceError):
        # The database went away: hand the version back so the task's automatic retry can claim it.
        delete_from_storage(names)
        VideoVersion.objects.filter(pk=version_id, status=VideoVersion.Status.RENDERING, claim_token=token).update(
            status=VideoVersion.Status.QUEUED, started_at=None, claim_token=""
        )
        raise
    except Exception as exc:
        # Whatever went wrong, the version must not stay "rendering": fail it with a readable message.
        # Only this attempt's files are deleted; a finished attempt's files are never touched.
        logger.exception("Render of version %s failed", version_id)
        delete_from_storage(names)
        if isinstance(exc, RenderTimeout):
            version_mark_failed(version_id=version_id, claim_token=token, message=str(exc))
        else:
            version_mark_failed(version_id=version_id, claim_token=token, detail=str(exc))
        return False
    return _version_finish(version=version, claim_token=token, names=names, rendered=rendered)


def _version_finish(*, version: VideoVersion, claim_token: str, names: list[str], rendered: Probe) -> bool:
    with transaction.atomic():
        # The video may have been deleted while it rendered; its deletion could not know these files.
        # Locking the video's row keeps a deletion from slipping in between this check and the save
        # (and orders the locks as version_mark_failed does: video, then version).
        alive = Video.objects.select_for_update().filter(pk=version.video_id).exists()
        finished = alive and (
            VideoVersion.objects.filter(
                pk=version.pk, status=VideoVersion.Status.RENDERING, claim_token=claim_token
            ).update(
                status=VideoVersion.Status.READY,
                progress=100,
                file=names[0],
                thumbnail=names[1],
                size_bytes=rendered.size_bytes,
                duration_seconds=rendered.duration,
                width=rendered.width,
                height=rendered.height,
                finished_at=timezone.now(),
            )
        )
        if not finished:
            # Deleted, or claimed again by a later attempt (which alone may finish it now): the
            # files of this attempt belong to nobody.
            transaction.on_commit(lambda: delete_from_storage(names))
            return False
        version.refresh_from_db()
        video_adopt_version(video_id=version.video_id, version=version)
        video = Video.objects.only("pk", "owner_id", "team_id", "title").get(pk=version.video_id)
        record_event(
            name=EventName.VIDEO_RENDERED,
            actor=version.created_by,
            subject=video,
            payload={
                "video_id": video.pk,
                "title": video.title,
                "team_id": video.team_id,
                "owner_id": video.owner_id,
                "version": version.number,
                "duration_seconds": version.duration_seconds,
                "size_bytes": version.size_bytes,
            },
        )
        _announce_rendered(version=version, video=video)
        render_settled.send(sender=VideoVersion, version_id=version.pk, video_id=version.video_id, ready=True)
        transaction.on_commit(lambda: _delete_other_attempts(version=version))
    return True


def _announce_rendered(*, version: VideoVersion, video: Video) -> None:
    # The person who asked for the render hears of it (inbox, e-mail or push, as they chose); a bulk
    # job's rows are announced once, when the whole job is done (bulk_done), not row by row.
    if version.created_by_id is None or BulkRow.objects.filter(video_id=video.pk).exists():
        return
    notification_send(
        recipient=version.created_by,
        kind=NotificationKind.RENDER_FINISHED,
        params={"video": video.title},
        target_url=reverse("videos:detail", args=[video.pk]),
    )


def _delete_other_attempts(*, version: VideoVersion) -> None:
    # Attempts that lost their claim delete their own files, but one whose worker died after
    # storing them could not: once the render is finished, no other attempt's files are wanted.
    folder = version.storage_path("").rstrip("/")
    try:
        attempts, _files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for attempt in attempts:
        if attempt != version.claim_token:
            delete_from_storage(
                [f"{folder}/{attempt}/{name}" for name in default_storage.listdir(f"{folder}/{attempt}")[1]]
            )


def version_mark_failed(*, version_id: int, claim_token: str, detail: str = "", message: str | None = None) -> bool:
    """Fail the render held under `claim_token` with a message the user can read; False if the
    claim has passed to another attempt (or the render ended) meanwhile. The video shows it too.

    `message` replaces the generic one; `detail` (ffmpeg's last words) is appended in brackets.
    """
    message = message or _("The video could not be rendered. Try again, or change the media you used.")
    # ffmpeg's messages name temporary files; users need the reason, not our paths.
    detail = re.sub(r"/\S+", "…", detail)[:300]
    with transaction.atomic():
        video_id = VideoVersion.objects.filter(pk=version_id).values_list("video_id", flat=True).first()
        video = Video.objects.select_for_update(of=("self",)).select_related("current_version").filter(pk=video_id)
        video = video.first()
        failed = video is not None and (
            VideoVersion.objects.filter(
                pk=version_id, status=VideoVersion.Status.RENDERING, claim_token=claim_token
            ).update(
                status=VideoVersion.Status.FAILED,
                error_message=f"{message} ({detail})" if detail else message,
                finished_at=timezone.now(),
            )
        )
        if not failed:
            return False
        number = VideoVersion.objects.filter(pk=version_id).values_list("number", flat=True).get()
        if video.current_version_id is None or video.current_version.number < number:
            # A ready older version stays playable; the status tells that the latest render failed.
            video.status = Video.Status.FAILED
            video.status_message = message
            video.save(update_fields=["status", "status_message", "updated_at"])
        render_settled.send(sender=VideoVersion, version_id=version_id, video_id=video.pk, ready=False)
    return True


@transaction.atomic
def video_adopt_version(*, video_id: int, version: VideoVersion) -> None:
    """Make a ready version the video's current one (unless a newer one already is), then prune."""
    video = Video.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=video_id)
    current = video.current_version
    if current is None or current.number <= version.number:
        video.current_version = version
        video.file.name = version.file.name
        video.thumbnail.name = version.thumbnail.name
        video.duration_seconds = version.duration_seconds
        video.size_bytes = version.size_bytes
        video.width, video.height = version.width, version.height
        if not video.versions.filter(number__gt=version.number).exclude(status=VideoVersion.Status.FAILED).exists():
            video.status, video.status_message = Video.Status.READY, ""
        video.save(
            update_fields=[
                "current_version", "file", "thumbnail", "duration_seconds", "size_bytes", "width", "height", "status",
                "status_message", "updated_at",
            ]
        )  # fmt: skip
    versions_apply_retention(video=video)


@transaction.atomic
def version_restore(*, video: Video, actor: User, number: int, change_description: str = "") -> VideoVersion:
    """Make a new version that is a copy of an old one; nothing is lost.

    `video` comes from `videos.permissions.video_get_for_user(action=Action.EDIT)`.
    """
    video = Video.objects.select_for_update(of=("self",)).get(pk=video.pk)
    source = video.versions.filter(number=number).first()
    if source is None or not source.is_restorable:
        raise DomainError(_("This version can no longer be restored: its files were deleted."), code="not_restorable")
    version = VideoVersion(
        video=video,
        number=next_version_number(video=video),
        status=VideoVersion.Status.READY,
        progress=100,
        render_spec=source.render_spec,
        restored_from=source,
        size_bytes=source.size_bytes,
        duration_seconds=source.duration_seconds,
        width=source.width,
        height=source.height,
        created_by=actor,
        change_description=change_description or _("Restored from v%(number)d") % {"number": source.number},
        finished_at=timezone.now(),
    )
    copied: list[str] = []
    try:
        copied.append(copy_in_storage(source.file.name, version.storage_path("video.mp4")))
        if source.thumbnail:
            copied.append(copy_in_storage(source.thumbnail.name, version.storage_path("thumbnail.jpg")))
        version.file.name = copied[0]
        version.thumbnail.name = copied[1] if len(copied) > 1 else ""
        version.save()
        video_adopt_version(video_id=video.pk, version=version)
    except Exception:
        # Storage is not transactional: undo the copies when the rows roll back.
        delete_from_storage(copied)
        raise
    return version


def versions_apply_retention(*, video: Video) -> list[int]:
    """Delete the files of ready versions beyond the plan's `versions_kept`; return their numbers."""
    kept = limits.value(account_for(user=video.owner, team=video.team), limits.Limit.VERSIONS_KEPT)
    if kept is None:
        return []
    kept = int(kept) or DEFAULT_VERSIONS_KEPT
    stored = list(
        video.versions.filter(status=VideoVersion.Status.READY, purged_at__isnull=True)
        .exclude(pk=video.current_version_id)
        .order_by("-number")
        .values_list("pk", "number", "file", "thumbnail")
    )
    # The current version always counts as one of the kept ones.
    expired = stored[max(0, kept - (1 if video.current_version_id else 0)) :]
    if not expired:
        return []
    VideoVersion.objects.filter(pk__in=[row[0] for row in expired]).update(
        purged_at=timezone.now(), file="", thumbnail=""
    )
    names = [name for row in expired for name in row[2:]]
    transaction.on_commit(lambda: delete_from_storage(names))
    return [row[1] for row in expired]


def versions_sweep_stalled() -> dict[str, int]:
    """Re-send stalled renders (VideoVersion.objects.stalled) to a worker; fail those whose claim
    stayed stale for twice the stale time (the re-sent task had its chance and never came back)."""
    from videos.tasks import video_render

    now = timezone.now()
    abandoned_before = now - 2 * timedelta(seconds=settings.VIDEO_RENDER_STALE_AFTER_SECONDS)
    counts = {"requeued": 0, "reclaimed": 0, "failed": 0}
    stalled = VideoVersion.objects.stalled(now=now).order_by("pk")
    for version_id, status, started_at, token in stalled.values_list("pk", "status", "started_at", "claim_token")[
        :1000
    ]:
        if status == VideoVersion.Status.QUEUED:
            # The task's message was lost on the way to the broker.
            video_render.delay(version_id)
            counts["requeued"] += 1
        elif started_at >= abandoned_before:
            # A crashed worker's task is redelivered at once, before its claim is stale, and gives
            # up; so stale claims are sent again here, where the task can claim them again.
            video_render.delay(version_id)
            counts["reclaimed"] += 1
        elif version_mark_failed(version_id=version_id, claim_token=token, detail="the renderer stopped responding"):
            counts["failed"] += 1
    return counts
