"""Versions: rendering a queued version, restoring an old one, and keeping only the latest N."""

import logging
import re
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import limits
from config.errors import DomainError
from teams.models import User
from teams.permissions import Action
from videos.media import copy_in_storage, delete_from_storage, download_from_storage, probe, save_to_storage
from videos.models import Video, VideoVersion
from videos.render.ffmpeg import RenderTimeout, render_spec
from videos.selectors import account_for, video_get_for_user

logger = logging.getLogger(__name__)
DEFAULT_VERSIONS_KEPT = 5


def next_version_number(*, video: Video) -> int:
    """The next free version number; call with the video row locked (select_for_update)."""
    return (video.versions.aggregate(last=Max("number"))["last"] or 0) + 1


def version_render(*, version_id: int) -> bool:
    """Render a queued version into storage; True if this call did the work.

    Safe to run twice or after a crash: only one call claims the version (a conditional UPDATE),
    and the files go to the version's fixed paths, so a retry replaces rather than adds.
    """
    now = timezone.now()
    stale = now - timedelta(seconds=settings.VIDEO_RENDER_STALE_AFTER_SECONDS)
    claimed = (
        VideoVersion.objects.filter(pk=version_id)
        .filter(Q(status=VideoVersion.Status.QUEUED) | Q(status=VideoVersion.Status.RENDERING, started_at__lt=stale))
        .update(status=VideoVersion.Status.RENDERING, started_at=now, progress=0, error_message="")
    )
    if not claimed:
        return False
    version = VideoVersion.objects.select_related("video__template").get(pk=version_id)
    Video.objects.filter(pk=version.video_id).update(status=Video.Status.RENDERING, status_message="")
    names: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="render-") as tmp:
            work = Path(tmp)
            spec = version.render_spec or {}
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
                on_progress=lambda percent: VideoVersion.objects.filter(pk=version_id).update(progress=percent),
            )
            rendered = probe(result.video_path)
            names.append(save_to_storage(result.video_path, version.storage_path("video.mp4")))
            names.append(save_to_storage(result.thumbnail_path, version.storage_path("thumbnail.jpg")))
    except (OperationalError, InterfaceError):
        # The database went away: hand the version back so the task's automatic retry can claim it.
        VideoVersion.objects.filter(pk=version_id).update(status=VideoVersion.Status.QUEUED, started_at=None)
        raise
    except Exception as exc:
        # Whatever went wrong, the version must not stay "rendering": fail it with a readable message.
        logger.exception("Render of version %s failed", version_id)
        delete_from_storage(names)
        if isinstance(exc, RenderTimeout):
            version_mark_failed(version_id=version_id, message=str(exc))
        else:
            version_mark_failed(version_id=version_id, detail=str(exc))
        return False
    with transaction.atomic():
        # The video may have been deleted while it rendered; its deletion could not know these files.
        # Locking the video's row keeps a deletion from slipping in between this check and the save.
        alive = Video.objects.select_for_update().filter(pk=version.video_id).values_list("pk", flat=True).first()
        if alive is None or not VideoVersion.objects.filter(pk=version_id).exists():
            transaction.on_commit(lambda: delete_from_storage(names))
            return False
        version.status = VideoVersion.Status.READY
        version.progress = 100
        version.file.name, version.thumbnail.name = names
        version.size_bytes = rendered.size_bytes
        version.duration_seconds = rendered.duration
        version.width, version.height = rendered.width, rendered.height
        version.finished_at = timezone.now()
        version.save(
            update_fields=[
                "status", "progress", "file", "thumbnail", "size_bytes", "duration_seconds", "width", "height",
                "finished_at",
            ]
        )  # fmt: skip
        video_adopt_version(video_id=version.video_id, version=version)
    return True


def version_mark_failed(*, version_id: int, detail: str = "", message: str | None = None) -> None:
    """Mark a render failed with a message the user can read; the video shows it too.

    `message` replaces the generic one; `detail` (ffmpeg's last words) is appended in brackets.
    """
    message = message or _("The video could not be rendered. Try again, or change the media you used.")
    # ffmpeg's messages name temporary files; users need the reason, not our paths.
    detail = re.sub(r"/\S+", "…", detail)[:300]
    with transaction.atomic():
        VideoVersion.objects.filter(pk=version_id).update(
            status=VideoVersion.Status.FAILED,
            error_message=f"{message} ({detail})" if detail else message,
            finished_at=timezone.now(),
        )
        version = VideoVersion.objects.get(pk=version_id)
        video = Video.objects.select_for_update(of=("self",)).get(pk=version.video_id)
        if video.current_version_id is None or video.current_version.number < version.number:
            # A ready older version stays playable; the status tells that the latest render failed.
            video.status = Video.Status.FAILED
            video.status_message = message
            video.save(update_fields=["status", "status_message", "updated_at"])


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
def version_restore(*, user: User, video_id: int, number: int, change_description: str = "") -> VideoVersion:
    """Make a new version that is a copy of an old one; nothing is lost."""
    video = video_get_for_user(user=user, video_id=video_id, action=Action.EDIT)
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
        created_by=user,
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
    """Re-send queued renders whose message was lost, and fail renders whose worker never came back."""
    from videos.tasks import video_render

    now = timezone.now()
    queued = list(
        VideoVersion.objects.filter(
            status=VideoVersion.Status.QUEUED, created_at__lt=now - timedelta(minutes=10)
        ).values_list("pk", flat=True)[:500]
    )
    for version_id in queued:
        video_render.delay(version_id)
    stale = timedelta(seconds=settings.VIDEO_RENDER_STALE_AFTER_SECONDS)
    # A crashed worker's task is redelivered at once, before its claim is stale, and gives up; so
    # stale claims are sent again here, where the task can re-claim them.
    reclaimable = list(
        VideoVersion.objects.filter(
            status=VideoVersion.Status.RENDERING, started_at__lt=now - stale, started_at__gte=now - 2 * stale
        ).values_list("pk", flat=True)[:500]
    )
    for version_id in reclaimable:
        video_render.delay(version_id)
    # Twice the stale time: the re-sent task had its chance to claim the version again.
    abandoned = list(
        VideoVersion.objects.filter(status=VideoVersion.Status.RENDERING, started_at__lt=now - 2 * stale).values_list(
            "pk", flat=True
        )[:500]
    )
    for version_id in abandoned:
        version_mark_failed(version_id=version_id, detail="the renderer stopped responding")
    return {"requeued": len(queued), "reclaimed": len(reclaimable), "failed": len(abandoned)}
