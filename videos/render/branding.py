"""Put a branding profile's logo on a finished video with ffmpeg's overlay filter.

Only the picture is encoded again, with the encoder of the codec it already had and at its own size
and frame rate; the audio packets are copied as they are, so the soundtrack stays bit for bit the same.
The logo is scaled to a share of the video's width (keeping its aspect ratio), its own alpha is kept,
and the profile's opacity multiplies that alpha.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from videos.media import Probe, local_input_options, local_url, probe
from videos.render.ffmpeg import RenderError, extract_thumbnail, render_time_limit, run_with_progress

# The codec a video already has -> the encoder that writes it again (and its options).
ENCODERS: dict[str, list[str]] = {
    "h264": ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "20"],
    "hevc": ["-c:v", "libx265", "-pix_fmt", "yuv420p", "-crf", "22"],
    "vp8": ["-c:v", "libvpx", "-pix_fmt", "yuv420p", "-b:v", "0", "-crf", "10"],
    "vp9": ["-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-b:v", "0", "-crf", "31", "-row-mt", "1"],
    "av1": ["-c:v", "libaom-av1", "-pix_fmt", "yuv420p", "-b:v", "0", "-crf", "32", "-cpu-used", "8"],
    "mpeg4": ["-c:v", "mpeg4", "-q:v", "3"],
    "prores": ["-c:v", "prores_ks"],
}
# Our stored extensions -> the muxer that writes the branded file in the same container.
MUXERS = {".mp4": "mp4", ".mov": "mov", ".webm": "webm", ".mkv": "matroska"}


@dataclass(frozen=True)
class BrandedResult:
    video_path: Path
    thumbnail_path: Path
    probe: Probe


def overlay_position(position: str, margin: int) -> tuple[str, str]:
    """ffmpeg overlay x and y expressions (W/H: the video, w/h: the scaled logo) for a position."""
    left, top = str(margin), str(margin)
    right, bottom = f"W-w-{margin}", f"H-h-{margin}"
    return {
        "top-left": (left, top),
        "top-right": (right, top),
        "bottom-left": (left, bottom),
        "bottom-right": (right, bottom),
        "center": ("(W-w)/2", "(H-h)/2"),
    }[position]


def logo_width_for(*, video_width: int, scale: int) -> int:
    """The logo's width in pixels: `scale` % of the video's width, at least 2, and even for chroma."""
    return max(2, round(video_width * scale / 100 / 2) * 2)


@dataclass(frozen=True)
class LogoPlacement:
    """Where and how a profile's logo goes on a frame `video_width` pixels wide."""

    width: int
    alpha: float
    x: str
    y: str

    def logo_filters(self) -> str:
        # rgba first so a logo without alpha (JPEG) gets an opaque one that opacity can then scale.
        return f"format=rgba,scale=w={self.width}:h=-1:flags=lanczos,colorchannelmixer=aa={self.alpha:.4f}"


def logo_placement(settings_: dict[str, Any], *, video_width: int, margin_scale: float = 1.0) -> LogoPlacement:
    """The logo's size, opacity and position for `settings_` (a profile's `overlay_settings`).

    `margin_scale` shrinks the margin, which is in pixels of the final video, for a smaller frame
    (the live preview draws at draft size what the render draws at full size).
    """
    x, y = overlay_position(settings_["position"], round(int(settings_["margin"]) * margin_scale))
    return LogoPlacement(
        width=logo_width_for(video_width=video_width, scale=int(settings_["scale"])),
        alpha=max(0, min(100, int(settings_["opacity"]))) / 100,
        x=x,
        y=y,
    )


def overlay_filter(settings_: dict[str, Any], *, video_width: int) -> str:
    """The filter graph that puts input 1 (the logo) on input 0 (the video) as `settings_` say."""
    place = logo_placement(settings_, video_width=video_width)
    return (
        f"[1:v]{place.logo_filters()}[logo];"
        # The one logo frame is repeated for the whole video (eof_action=repeat, the default).
        f"[0:v][logo]overlay=x={place.x}:y={place.y}:format=auto:eof_action=repeat[branded]"
    )


def brand_video(
    *,
    source: Path,
    logo: Path,
    settings_: dict[str, Any],
    work_dir: Path,
    on_progress: Callable[[int], None] | None = None,
) -> BrandedResult:
    """Write `source` with the logo on it, and a thumbnail, into `work_dir`; RenderError on failure."""
    found = probe(source)
    if not found.width or not found.duration:
        raise RenderError(_("The video to brand has no picture."))
    encoder = ENCODERS.get(found.video_codec or "")
    muxer = MUXERS.get(source.suffix.lower())
    if encoder is None or muxer is None:
        raise RenderError(_("Videos in this format cannot be branded."))
    output = work_dir / f"branded{source.suffix.lower()}"
    options = local_input_options()
    reading = ["-protocol_whitelist", options["protocol_whitelist"], "-format_whitelist", options["format_whitelist"]]
    # The renderer's speed/size trade-off, for the encoders that have presets.
    preset = ["-preset", settings.VIDEO_RENDER_PRESET] if encoder[1] in ("libx264", "libx265") else []
    faststart = ["-movflags", "+faststart"] if muxer in ("mp4", "mov") else []
    command = [
        "ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-loglevel", "error", "-progress", "pipe:1", "-y",
        *reading, "-i", local_url(source),
        *reading, "-i", local_url(logo),
        "-filter_complex", overlay_filter(settings_, video_width=found.width),
        "-map", "[branded]", "-map", "0:a?",
        *encoder, *preset,
        "-c:a", "copy", "-map_metadata", "0", *faststart, "-f", muxer, local_url(output),
    ]  # fmt: skip
    limit = render_time_limit(duration=found.duration)
    run_with_progress(command, duration=found.duration, timeout=limit, on_progress=on_progress)
    thumbnail = work_dir / "branded-thumbnail.jpg"
    extract_thumbnail(output, thumbnail, at=min(1.0, found.duration / 2), timeout=limit)
    return BrandedResult(video_path=output, thumbnail_path=thumbnail, probe=probe(output))
