"""The one check every user's media file passes, and moving files between storage and local files.

A file is accepted by what ffprobe detects in it, never by its name: only the containers on the
allow-list, opened with only their demuxers and from local files only, so a text playlist (HLS,
ffconcat, a concat: URL) that would make ffmpeg read other files is refused before any of it is
opened. Clips are then remuxed into a fresh file of ours (first video and audio track only), read
to the end, decoded for a bounded time, and stored under a name and content type of our choosing.
Every ffmpeg/ffprobe call has a wall-clock limit.

ffmpeg needs local paths; storage may be S3. These helpers are the only place that bridges the two.
"""

import json
import mimetypes
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from config.errors import DomainError
from videos.ffmpeg_run import ToolTimeout, run_tool

# ffprobe's format_name of each accepted video container -> the demuxer forced on every later read.
VIDEO_CONTAINERS = {"mov,mp4,m4a,3gp,3g2,mj2": "mov", "matroska,webm": "matroska"}
ACCEPTED_VIDEO_CODECS = {"h264", "hevc", "vp8", "vp9", "av1", "mpeg4", "prores"}
ACCEPTED_AUDIO_CODECS = {"aac", "mp3", "opus", "vorbis", "ac3", "eac3", "alac", "pcm_s16le"}


@dataclass(frozen=True)
class StoredFormat:
    """How we store a file: the demuxer or muxer, and the extension and content type it is served with."""

    ffmpeg_format: str
    extension: str
    content_type: str
    codecs: frozenset[str] = frozenset()


# Images are detected from their bytes (we never give ffprobe a name with an extension, so the
# image2 demuxer, which reads numbered sequences of files, is never chosen).
IMAGE_FORMATS = {
    "png_pipe": StoredFormat("png_pipe", ".png", "image/png", frozenset({"png"})),
    "jpeg_pipe": StoredFormat("jpeg_pipe", ".jpg", "image/jpeg", frozenset({"mjpeg"})),
    "webp_pipe": StoredFormat("webp_pipe", ".webp", "image/webp", frozenset({"webp"})),
}
DEMUXER_ALLOW_LIST = ",".join([*VIDEO_CONTAINERS.values(), *IMAGE_FORMATS])
# Clips are remuxed into the first of these that holds both their tracks (video codecs here, audio
# codecs in REMUX_AUDIO): MP4 when it can, WebM or MOV for what MP4 cannot hold (VP8, Vorbis, ProRes, PCM).
REMUX_TARGETS = [
    StoredFormat("mp4", ".mp4", "video/mp4", frozenset({"h264", "hevc", "mpeg4", "vp9", "av1"})),
    StoredFormat("webm", ".webm", "video/webm", frozenset({"vp8", "vp9", "av1"})),
    StoredFormat("mov", ".mov", "video/quicktime", frozenset(ACCEPTED_VIDEO_CODECS)),
]
REMUX_AUDIO = {
    "mp4": {"aac", "mp3", "opus", "ac3", "eac3", "alac"},
    "webm": {"opus", "vorbis"},
    "mov": ACCEPTED_AUDIO_CODECS,
}
# Only the first video track (not cover art) and audio track, copied: no data, subtitle or attachment
# streams, metadata or chapters travel into our file.
REMUX_STREAMS = ["-map", "0:V:0", "-map", "0:a:0?", "-c", "copy", "-map_metadata", "-1", "-map_chapters", "-1"]
MAX_UPLOAD_SECONDS = 60 * 60
MAX_SIDE_PIXELS = 8192
MAX_PIXELS = 40_000_000


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


@dataclass(frozen=True)
class CheckedMedia:
    """A user's file that passed the check, ready to store: ours to store, under our extension."""

    kind: str  # "video" (an upload), "clip" or "image" (a template's media slot)
    path: Path  # a remux of a clip, or the checked image itself
    extension: str
    content_type: str
    probe: Probe  # of `path`


def local_url(path: Path | str) -> str:
    """The name to give ffmpeg for a local file: "file:" + its absolute path, so that a name like
    "concat:a|b" or "subfile,,…" stays a file name."""
    return f"file:{Path(path).resolve()}"


def _safe_input(path: Path, *, demuxer: str | None = None) -> list[str]:
    """ffmpeg/ffprobe input arguments that read `path` as a local file with an allowed demuxer only."""
    forced = ["-f", demuxer] if demuxer else []
    return ["-protocol_whitelist", "file", "-format_whitelist", DEMUXER_ALLOW_LIST, *forced, "-i", local_url(path)]


def local_input_options() -> dict[str, str]:
    """ffmpeg-python input options for reading stored media again (as the renderer does).

    Local files and our containers only; image2 is allowed as well because looping a still image
    needs it (the renderer names its local copies itself, so no sequence pattern can be given).
    """
    return {"protocol_whitelist": "file", "format_whitelist": f"{DEMUXER_ALLOW_LIST},image2"}


def _too_slow() -> MediaError:
    return MediaError(
        _("Checking this file took too long. Upload a shorter or smaller file."), code="too_slow", field="file"
    )


def _check_deadline() -> float:
    """When the check of one file must be over (every ffmpeg pass of it shares the time)."""
    return time.monotonic() + settings.MEDIA_CHECK_TIMEOUT_SECONDS


def _time_left(deadline: float | None, *, cap: float) -> float:
    left = cap if deadline is None else min(cap, deadline - time.monotonic())
    if left <= 0:
        raise _too_slow()
    return left


def ffprobe(path: Path, *, deadline: float | None = None) -> dict:
    """ffprobe's JSON description of a local file; raises MediaError if it is not one we may read."""
    command = ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", *_safe_input(path)]
    try:
        result = run_tool(command, timeout=_time_left(deadline, cap=settings.MEDIA_PROBE_TIMEOUT_SECONDS))
    except ToolTimeout:
        raise _too_slow() from None
    if result.returncode != 0:
        # A container off the allow-list is refused before its demuxer opens anything.
        code = "not_allowed" if result.refused_input else "unreadable"
        raise MediaError(
            _("This file is not a video we can read. It may be damaged or in an unknown format."), code=code
        )
    return json.loads(result.stdout or "{}")


def probe(path: Path, *, deadline: float | None = None) -> Probe:
    """The container, codecs, size and duration of a local media file."""
    return _probe_from(ffprobe(path, deadline=deadline), path)


def _probe_from(info: dict, path: Path) -> Probe:
    streams = info.get("streams", [])
    # The first real video track (not cover art), as the remux keeps it.
    video = next(
        (s for s in streams if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")),
        None,
    )
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


def _probe_or_refuse(path: Path, *, refused: str, deadline: float) -> Probe:
    """Probe a user's file; a format outside the allow-list is refused with the caller's wording."""
    try:
        info = ffprobe(path, deadline=deadline)
    except MediaError as exc:
        raise MediaError(refused if exc.code == "not_allowed" else exc.message, code=exc.code, field="file") from None
    return _probe_from(info, path)


def accept_video(path: Path, *, work: Path) -> CheckedMedia:
    """Check an uploaded video and remux it into a file of ours in `work`; MediaError (on "file") if refused."""
    refused = _("This file is not a video we accept. Upload an MP4, MOV, MKV or WebM file.")
    deadline = _check_deadline()
    found = _probe_or_refuse(path, refused=refused, deadline=deadline)
    if found.container not in VIDEO_CONTAINERS:
        raise MediaError(refused, field="file")
    return _accept_clip(path, found, work=work, kind="video", deadline=deadline)


def accept_image_or_clip(path: Path, *, work: Path) -> CheckedMedia:
    """Check a media slot's file: an image as it is, a clip remuxed into a file of ours in `work`."""
    refused = _(
        "This file is not a video or an image we accept. "
        "Upload a PNG, JPEG or WebP image, or an MP4, MOV, MKV or WebM clip."
    )
    deadline = _check_deadline()
    found = _probe_or_refuse(path, refused=refused, deadline=deadline)
    if found.container in IMAGE_FORMATS:
        return _accept_image(path, found, refused=refused, deadline=deadline)
    if found.container not in VIDEO_CONTAINERS:
        raise MediaError(refused, field="file")
    return _accept_clip(path, found, work=work, kind="clip", deadline=deadline)


def accept_image(path: Path) -> CheckedMedia:
    """Check a still image (a logo): PNG (its transparency kept), JPEG or WebP, stored as it is."""
    refused = _("This file is not an image we accept. Upload a PNG, JPEG or WebP image.")
    deadline = _check_deadline()
    try:
        found = _probe_or_refuse(path, refused=refused, deadline=deadline)
    except MediaError as exc:
        # "Not a video we can read" would puzzle someone who sent a picture (an SVG, say).
        if exc.code != "unreadable":
            raise
        raise MediaError(refused, code=exc.code, field="file") from None
    if found.container not in IMAGE_FORMATS:
        raise MediaError(refused, field="file")
    return _accept_image(path, found, refused=refused, deadline=deadline)


@contextmanager
def accepted_image_upload(upload: "File", *, field: str) -> Iterator[CheckedMedia]:
    """An uploaded still image (a logo, a screenshot) checked by `accept_image`, inside the block.

    The bytes go to a private temporary file first, never under the sender's name (what it is comes
    from its bytes); a refusal is a DomainError on `field`. The file is gone when the block ends.
    """
    with tempfile.TemporaryDirectory(prefix="image-") as tmp:
        local = Path(tmp) / "upload"
        with local.open("wb") as sink:
            for chunk in upload.chunks():
                sink.write(chunk)
        try:
            checked = accept_image(local)
        except MediaError as exc:
            raise DomainError(exc.message, code=exc.code, field=field) from None
        yield checked


def _accept_image(path: Path, found: Probe, *, refused: str, deadline: float) -> CheckedMedia:
    image = IMAGE_FORMATS[found.container]
    if found.video_codec not in image.codecs or not (found.width and found.height):
        raise MediaError(refused, field="file")
    _check_dimensions(found)
    _run_check(
        [*_safe_input(path, demuxer=image.ffmpeg_format), "-frames:v", "1", "-f", "null", "-"],
        deadline=deadline,
        decode=True,
    )
    return CheckedMedia(
        kind="image", path=path, extension=image.extension, content_type=image.content_type, probe=found
    )


def _accept_clip(path: Path, found: Probe, *, work: Path, kind: str, deadline: float) -> CheckedMedia:
    if found.video_codec not in ACCEPTED_VIDEO_CODECS:
        raise MediaError(
            _("This file has no video track in a format we support (H.264, HEVC, VP9, AV1)."), field="file"
        )
    if found.audio_codec is not None and found.audio_codec not in ACCEPTED_AUDIO_CODECS:
        raise MediaError(_("The audio track of this video is in a format we do not support."), field="file")
    _check_dimensions(found)
    if not found.duration or found.duration <= 0:
        raise MediaError(_("This video has no duration; it may be damaged."), field="file")
    if found.duration > MAX_UPLOAD_SECONDS:
        raise MediaError(_("Videos can be at most one hour long."), field="file")
    target = next(
        t
        for t in REMUX_TARGETS
        if found.video_codec in t.codecs
        and (found.audio_codec is None or found.audio_codec in REMUX_AUDIO[t.ffmpeg_format])
    )
    remuxed = work / f"checked{target.extension}"
    faststart = ["-movflags", "+faststart"] if target.ffmpeg_format in ("mp4", "mov") else []
    # Reading every packet into the remux also finds files cut off mid-stream that ffprobe accepts.
    _run_check(
        [
            *_safe_input(path, demuxer=VIDEO_CONTAINERS[found.container]),
            *REMUX_STREAMS,
            *faststart,
            *["-f", target.ffmpeg_format, "-y", local_url(remuxed)],
        ],
        deadline=deadline,
    )
    # Damaged frames only show when decoded: decode the start (a bounded time) of our own copy.
    _run_check(
        ["-t", str(settings.MEDIA_DECODE_CHECK_SECONDS), *_safe_input(remuxed, demuxer=_demuxer_of(target)),
         "-f", "null", "-"],
        deadline=deadline,
        decode=True,
    )  # fmt: skip
    checked = probe(remuxed, deadline=deadline)
    return CheckedMedia(
        kind=kind, path=remuxed, extension=target.extension, content_type=target.content_type, probe=checked
    )


def _demuxer_of(target: StoredFormat) -> str:
    return "matroska" if target.ffmpeg_format == "webm" else "mov"


def _check_dimensions(found: Probe) -> None:
    width, height = found.width or 0, found.height or 0
    if width > MAX_SIDE_PIXELS or height > MAX_SIDE_PIXELS or width * height > MAX_PIXELS:
        raise MediaError(
            _(
                "This picture or video is too large (%(width)d x %(height)d): "
                "at most %(side)d pixels a side and %(megapixels)d megapixels."
            )
            % {"width": width, "height": height, "side": MAX_SIDE_PIXELS, "megapixels": MAX_PIXELS // 1_000_000},
            field="file",
        )


def _run_check(arguments: list[str], *, deadline: float, decode: bool = False) -> None:
    """Run one ffmpeg pass over a user's file; any error it reports refuses the file."""
    # -xerror with err_detect "explode" stops at the first damaged frame instead of concealing it.
    strict = ["-xerror", "-err_detect", "explode"] if decode else ["-xerror"]
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-v", "error", *strict, *arguments]
    try:
        result = run_tool(command, timeout=_time_left(deadline, cap=settings.MEDIA_CHECK_TIMEOUT_SECONDS))
    except ToolTimeout:
        raise _too_slow() from None
    if result.returncode != 0 or result.stderr.strip():
        raise MediaError(
            _("This video is incomplete or damaged. Export it again and upload the whole file."), field="file"
        )


def thumbnail_command(video: Path, target: Path, *, at: float) -> list[str]:
    """The ffmpeg command that writes one JPEG frame of a local video, taken at `at` seconds, to `target`."""
    return [
        "ffmpeg", "-nostdin", "-hide_banner", "-v", "error", "-y", "-ss", f"{at:.3f}", *_safe_input(video),
        "-frames:v", "1", "-q:v", "3", "-f", "image2", local_url(target),
    ]  # fmt: skip


def thumbnail(video: Path, target: Path, *, at: float) -> bool:
    """Write one JPEG frame of a checked video at `at` seconds; False if that did not work in time."""
    try:
        # One frame near the start: as quick as a probe.
        result = run_tool(thumbnail_command(video, target, at=at), timeout=settings.MEDIA_PROBE_TIMEOUT_SECONDS)
    except ToolTimeout:
        return False
    return result.returncode == 0 and target.exists()


def save_to_storage(local: Path, name: str, *, content_type: str | None = None) -> str:
    """Store a local file under exactly `name` (replacing a leftover of an interrupted attempt).

    `content_type` (else the one of `name`'s extension) is what S3 serves the object as.
    """
    if default_storage.exists(name):
        default_storage.delete(name)
    with local.open("rb") as handle:
        upload = File(handle, name=local.name)
        # django-storages' S3 backend sends a file's content_type as the object's ContentType.
        upload.content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        return default_storage.save(name, upload)


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
