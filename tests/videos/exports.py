"""Helpers for the export tests: ready videos with stored bytes, reading a ZIP back, temp folders."""

import os
import tempfile
import zipfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.videos.factories import VideoFactory
from videos.models import ExportJob, Video
from videos.services import exports


def ready_video(*, owner, team=None, size: int = 300_000, title: str | None = None) -> tuple[Video, bytes]:
    """A ready video whose stored file holds `size` random bytes (random, so a mix-up would show)."""
    content = os.urandom(size)
    video = VideoFactory(owner=owner, team=team, **({"title": title} if title else {}))
    name = default_storage.save(f"videos/{video.pk}/v1/video.mp4", ContentFile(content))
    Video.objects.filter(pk=video.pk).update(file=name, size_bytes=size)
    video.refresh_from_db()
    return video, content


def zip_members(job: ExportJob) -> dict[str, bytes]:
    """Each member of the export's stored ZIP (all STORED, all intact) by name."""
    with default_storage.open(job.file.name, "rb") as handle, zipfile.ZipFile(handle) as archive:
        assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


def export_temp_folders() -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"{exports.TEMP_PREFIX}*"))
