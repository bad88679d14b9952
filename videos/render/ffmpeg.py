"""Turn a resolved scene spec into an H.264 + AAC MP4 and a JPEG thumbnail with ffmpeg.

Each scene is a colour source (plus an optional image or clip) with its text drawn on top;
scenes are joined by xfade transitions or plain cuts, and a silent or generated tone track is
encoded as AAC so every player and platform accepts the file.
"""

import os
import re
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ffmpeg
from django.conf import settings
from django.utils.translation import gettext as _

from videos.ffmpeg_run import ToolTimeout, run_tool
from videos.media import local_input_options, local_url, thumbnail_command
from videos.render.spec import TRANSITION_SECONDS

FONT_PATH = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
# DejaVu has no Chinese, Japanese or Korean glyphs; these are used for such text when installed
# (Debian: fonts-noto-cjk or fonts-wqy-zenhei).
CJK_FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")
ASPECT_RATIOS = {"9:16": (9, 16), "16:9": (16, 9), "1:1": (1, 1)}


class RenderError(Exception):
    """ffmpeg could not render the video; the message is safe to show (no paths)."""


class RenderTimeout(RenderError):
    """ffmpeg ran past its time limit and was killed; the message is for the user, translated."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            _(
                "Rendering took longer than %(seconds)d seconds and was stopped. Try a shorter video, "
                "or replace clips that may be damaged."
            )
            % {"seconds": round(seconds)}
        )


@dataclass(frozen=True)
class RenderResult:
    video_path: Path
    thumbnail_path: Path
    width: int
    height: int
    duration: float
    seconds_of_work: float


def render_time_limit(*, duration: float) -> float:
    """Seconds one ffmpeg call of a render may run: a multiple of the video's length plus a constant."""
    return settings.VIDEO_RENDER_TIMEOUT_PER_SECOND * duration + settings.VIDEO_RENDER_TIMEOUT_BASE_SECONDS


def frame_size(aspect_ratio: str, long_side: int) -> tuple[int, int]:
    """Even pixel dimensions for the aspect ratio, with the longer side `long_side` (1920 -> 1080x1920)."""
    w_ratio, h_ratio = ASPECT_RATIOS[aspect_ratio]
    if w_ratio >= h_ratio:
        width, height = long_side, long_side * h_ratio / w_ratio
    else:
        width, height = long_side * w_ratio / h_ratio, long_side
    return int(round(width / 2) * 2), int(round(height / 2) * 2)


def font_for(text: str) -> str:
    """The font file that can draw `text`: a CJK font for CJK text when one is installed, else DejaVu."""
    if CJK_RE.search(text):
        for path in CJK_FONT_PATHS:
            if os.path.exists(path):
                return path
    return FONT_PATH


def _wrap(text: str, width: int, font_px: int) -> str:
    if CJK_RE.search(text):
        # CJK text has no spaces to break at and each glyph is about one em wide.
        per_line = max(2, int(width * 0.85 / font_px))
        return "\n".join(text[i : i + per_line] for i in range(0, len(text), per_line))
    # DejaVu Bold glyphs average ~0.6 em; wrap so lines fit in 85 % of the frame.
    max_chars = max(4, int(width * 0.85 / (font_px * 0.6)))
    return "\n".join(textwrap.wrap(text, max_chars)) if text else ""


def _y_expression(position: str) -> str:
    return {"top": "h*0.1", "bottom": "h*0.88-text_h"}.get(position, "(h-text_h)/2")


def _scene_stream(
    scene: dict[str, Any], *, index: int, length: float, size: tuple[int, int], fps: int, work: Path, media: dict
) -> Any:
    width, height = size
    colour = scene["background"].replace("#", "0x")
    stream = ffmpeg.input(f"color=c={colour}:s={width}x{height}:r={fps}:d={length:.3f}", f="lavfi")
    medium = scene.get("media")
    if medium and medium.get("name") in media:
        # A stored file is read as a local file in one of our containers, whatever it has become
        # since it was checked: a playlist in its place is refused, not followed to other files.
        local, safe = local_url(media[medium["name"]]), local_input_options()
        if medium.get("kind") == "image":
            overlay = ffmpeg.input(local, loop=1, t=f"{length:.3f}", framerate=fps, **safe)
        else:
            overlay = ffmpeg.input(local, stream_loop=-1, t=f"{length:.3f}", **safe)
        overlay = (
            overlay.video.filter("fps", fps=fps)
            .filter("scale", w=int(width * 0.8), h=int(height * 0.5), force_original_aspect_ratio="decrease")
            .filter("setsar", 1)
        )
        stream = ffmpeg.overlay(stream, overlay, x="(W-w)/2", y="(H-h)/2", eof_action="repeat", shortest=0)
    text = scene.get("text", "")
    if text:
        font_px = max(8, int(width * float(scene.get("font_size", 0.07))))
        text_file = work / f"scene-{index}.txt"
        text_file.write_text(_wrap(text, width, font_px), encoding="utf-8")
        stream = stream.drawtext(
            fontfile=font_for(text),
            textfile=str(text_file),
            expansion="none",
            fontsize=font_px,
            fontcolor=scene.get("text_color", "#ffffff").replace("#", "0x"),
            line_spacing=int(font_px * 0.25),
            x="(w-text_w)/2",
            y=_y_expression(scene.get("position", "center")),
            # The text fades in over the scene's first 0.4 s.
            alpha="min(1,t/0.4)",
        )
    return stream.filter("format", "yuv420p").filter("setsar", 1).filter("settb", f"1/{fps}")


def _video_graph(spec: dict[str, Any], *, size: tuple[int, int], fps: int, work: Path, media: dict) -> Any:
    scenes = spec["scenes"]
    transitions = [
        min(TRANSITION_SECONDS, scene["duration"] / 3) if scene["transition"] != "cut" else 0.0 for scene in scenes
    ]
    joined = None
    joined_length = 0.0
    for index, scene in enumerate(scenes):
        # A scene runs on for the length of the next transition, so the total stays the spec's duration.
        tail = transitions[index + 1] if index + 1 < len(scenes) else 0.0
        length = scene["duration"] + tail
        stream = _scene_stream(scene, index=index, length=length, size=size, fps=fps, work=work, media=media)
        if joined is None:
            joined, joined_length = stream, length
        elif transitions[index]:
            offset = joined_length - transitions[index]
            joined = ffmpeg.filter(
                [joined, stream],
                "xfade",
                transition=scene["transition"],
                duration=f"{transitions[index]:.3f}",
                offset=f"{offset:.3f}",
            )
            joined_length = offset + length
        else:
            joined = ffmpeg.concat(joined, stream, v=1, a=0)
            joined_length += length
    return joined


def _audio_graph(spec: dict[str, Any], duration: float) -> Any:
    audio = spec.get("audio") or {}
    if audio.get("kind") == "tone":
        tone = ffmpeg.input(
            f"sine=frequency={audio.get('frequency', 220)}:sample_rate=44100:duration={duration:.3f}", f="lavfi"
        )
        return (
            tone.filter("volume", 0.08)
            .filter("afade", t="in", d=0.5)
            .filter("afade", t="out", st=max(0.0, duration - 0.5), d=0.5)
            .filter("aformat", channel_layouts="stereo")
        )
    return ffmpeg.input(f"anullsrc=r=44100:cl=stereo:d={duration:.3f}", f="lavfi")


def render_spec(
    spec: dict[str, Any],
    *,
    aspect_ratio: str,
    work_dir: Path,
    media: dict[str, str] | None = None,
    long_side: int | None = None,
    fps: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RenderResult:
    """Render `spec` into `work_dir/video.mp4` and `work_dir/thumbnail.jpg`; raise RenderError on failure.

    Each ffmpeg call is killed once it runs past `render_time_limit` (RenderTimeout).
    """
    started = time.monotonic()
    size = frame_size(aspect_ratio, long_side or settings.VIDEO_RENDER_LONG_SIDE)
    fps = fps or settings.VIDEO_RENDER_FPS
    duration = float(spec["duration"])
    output = work_dir / "video.mp4"
    video = _video_graph(spec, size=size, fps=fps, work=work_dir, media=media or {})
    audio = _audio_graph(spec, duration)
    command = (
        ffmpeg.output(
            video,
            audio,
            str(output),
            vcodec="libx264",
            acodec="aac",
            pix_fmt="yuv420p",
            preset=settings.VIDEO_RENDER_PRESET,
            crf=23,
            audio_bitrate="128k",
            movflags="+faststart",
            r=fps,
            t=f"{duration:.3f}",
        )
        .global_args("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-progress", "pipe:1")
        .overwrite_output()
        .compile()
    )
    limit = render_time_limit(duration=duration)
    _run_with_progress(command, duration=duration, timeout=limit, on_progress=on_progress)
    thumbnail = work_dir / "thumbnail.jpg"
    extract_thumbnail(output, thumbnail, at=min(1.0, duration / 2), timeout=limit)
    return RenderResult(
        video_path=output,
        thumbnail_path=thumbnail,
        width=size[0],
        height=size[1],
        duration=duration,
        seconds_of_work=time.monotonic() - started,
    )


def _run_with_progress(
    command: list[str], *, duration: float, timeout: float, on_progress: Callable[[int], None] | None
) -> None:
    last_reported = -1

    def follow(line: str) -> None:
        nonlocal last_reported
        key, _sep, value = line.strip().partition("=")
        if key == "out_time_us" and value.isdigit() and on_progress and duration:
            percent = min(99, int(int(value) / 1_000_000 / duration * 100))
            # Report in steps of 5 % so that progress costs a handful of UPDATEs, not hundreds.
            if percent >= last_reported + 5:
                last_reported = percent
                on_progress(percent)

    _run(command, timeout=timeout, on_line=follow, failed="ffmpeg failed")


def _run(command: list[str], *, timeout: float, failed: str, on_line: Callable[[str], None] | None = None) -> None:
    try:
        result = run_tool(command, timeout=timeout, on_line=on_line)
    except ToolTimeout:
        raise RenderTimeout(timeout) from None
    if result.returncode != 0 and result.refused_input:
        # A stored media file is no longer what its check accepted (a playlist, say, in its place).
        raise RenderError(_("a media file is in a format we do not accept"))
    if result.returncode != 0:
        raise RenderError(f"{failed}: {result.last_error()[:300]}")


def extract_thumbnail(video: Path, thumbnail: Path, *, at: float, timeout: float | None = None) -> None:
    """Write one JPEG frame of `video` taken at `at` seconds; ffmpeg is killed after `timeout` seconds
    (by default the renderer's constant allowance, VIDEO_RENDER_TIMEOUT_BASE_SECONDS)."""
    timeout = settings.VIDEO_RENDER_TIMEOUT_BASE_SECONDS if timeout is None else timeout
    _run(thumbnail_command(video, thumbnail, at=at), timeout=timeout, failed="thumbnail failed")
    if not thumbnail.exists():
        raise RenderError("thumbnail failed: no frame at that time")
