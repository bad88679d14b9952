"""Probing media files with ffprobe, and moving files between storage and local temp files.

ffmpeg needs local paths; storage may be S3. These helpers are the only place that bridges the two.
"""

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from config.errors import DomainError

# ffprobe's format names for the containers we accept.
ACCEPTED_CONTAINERS = {"mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm"}
ACCEPTED_VIDEO_CODECS = {"h264", "hevc", "vp8", "vp9", "av1", "mpeg4", "prores"}
ACCEPTED_AUDIO_CODECS = {"aac", "mp3", "opus", "vorbis", "ac3", "eac3", "alac", "pcm_s16le"}
IMAGE_CODECS = {"png", "mjpeg", "webp", "bmp"}
MAX_UPLOAD_SECONDS = 60 * 60


class MediaError(DomainError):
    """An uploaded file is not the media we accept; the message tells the user why."""


@dataclass(frozen=True)
class Probe:
    container: str
    video_codec: str | None
    audio_codec: str | None
    width: int | None
    height: int | None
    duration: float | None
    size_bytes: int


def ffprobe(path: Path) -> dict:
    """ffprobe's JSON description of a local file; raises MediaError if ffprobe cannot read it."""
    command = [
        "ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)  # noqa: S603
    if result.returncode != 0:
        raise MediaError(_("This file is not a video we can read. It may be damaged or in an unknown format."))
    return json.loads(result.stdout or "{}")


def probe(path: Path) -> Probe:
    """The container, codecs, size and duration of a local media file."""
    info = ffprobe(path)
    streams = info.get("streams", [])
    video = next((s for s in streams if s.get("codec_type") == "video"), None)
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    raw_duration = info.get("format", {}).get("duration") or (video or {}).get("duration")
    return Probe(
        container=info.get("format", {}).get("format_name", ""),
        video_codec=video.get("codec_name") if video else None,
        audio_codec=audio.get("codec_name") if audio else None,
        width=video.get("width") if video else None,
        height=video.get("height") if video else None,
        duration=float(raw_duration) if raw_duration not in (None, "N/A") else None,
        size_bytes=path.stat().st_size,
    )


def validate_video_file(path: Path) -> Probe:
    """Probe an uploaded video and reject anything that is not a complete, playable video."""
    found = probe(path)
    containers = set(found.container.split(","))
    if not containers & ACCEPTED_CONTAINERS:
        raise MediaError(_("This file is not a video. Upload an MP4, MOV, MKV or WebM file."), field="file")
    if found.video_codec not in ACCEPTED_VIDEO_CODECS:
        raise MediaError(
            _("This file has no video track in a format we support (H.264, HEVC, VP9, AV1)."), field="file"
        )
    if found.audio_codec is not None and found.audio_codec not in ACCEPTED_AUDIO_CODECS:
        raise MediaError(_("The audio track of this video is in a format we do not support."), field="file")
    if not found.duration or found.duration <= 0:
        raise MediaError(_("This video has no duration; it may be damaged."), field="file")
    if found.duration > MAX_UPLOAD_SECONDS:
        raise MediaError(_("Videos can be at most one hour long."), field="file")
    _check_complete(path)
    return found


def validate_image_or_clip(path: Path) -> tuple[str, Probe]:
    """For a media slot: ("image", probe) or ("clip", probe); raise MediaError otherwise."""
    found = probe(path)
    if found.video_codec in IMAGE_CODECS and found.width and found.height:
        _check_complete(path, decode=True)
        return "image", found
    if found.video_codec in ACCEPTED_VIDEO_CODECS:
        _check_complete(path)
        return "clip", found
    raise MediaError(_("Upload a PNG, JPEG or WebP image, or a short video clip."))


def _check_complete(path: Path, *, decode: bool = False) -> None:
    # Reading every packet (without decoding) finds files cut off mid-stream that ffprobe accepts;
    # an image is small enough to decode for real.
    codec = [] if decode else ["-map", "0", "-c", "copy"]
    command = ["ffmpeg", "-hide_banner", "-v", "error", "-xerror", "-i", str(path), *codec, "-f", "null", "-"]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)  # noqa: S603
    if result.returncode != 0 or result.stderr.strip():
        raise MediaError(
            _("This video is incomplete or damaged. Export it again and upload the whole file."), field="file"
        )


def save_to_storage(local: Path, name: str) -> str:
    """Store a local file under exactly `name` (replacing a leftover of an interrupted attempt)."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with local.open("rb") as handle:
        return default_storage.save(name, File(handle, name=local.name))


def download_from_storage(name: str, target: Path) -> Path:
    """Copy a stored file to a local path, for ffmpeg."""
    with default_storage.open(name, "rb") as source, target.open("wb") as sink:
        shutil.copyfileobj(source, sink)
    return target


def copy_in_storage(source: str, target: str) -> str:
    """Copy one stored file to another name."""
    if default_storage.exists(target):
        default_storage.delete(target)
    with default_storage.open(source, "rb") as handle:
        return default_storage.save(target, File(handle, name=Path(target).name))


def delete_from_storage(names: list[str]) -> None:
    """Delete stored files; missing ones are fine (deleting twice must be harmless)."""
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)
