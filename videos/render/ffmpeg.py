"""Turn a resolved scene spec into an H.264 + AAC MP4 and a JPEG thumbnail with ffmpeg.

Each scene is a colour source (plus an optional image or clip) with its text drawn on top;
scenes are joined by xfade transitions or plain cuts, and a silent or generated tone track is
encoded as AAC so every player and platform accepts the file.
"""

import math
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
from videos.render.text import TextLayer, render_text_layer
from videos.render.transitions import transition

TEXT_FADE_SECONDS = 0.4
# The long side of a draft render (a preview): quick to make, sharp enough on a screen.
DRAFT_LONG_SIDE = 720
QUALITIES = ("final", "draft")

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


def _hold(still: Any, *, frames: int, fps: int) -> Any:
    """A one-frame stream shown for `frames` frames: the frame is repeated, not drawn again."""
    return still.filter("loop", loop=frames - 1, size=1).filter("settb", f"1/{fps}").filter("setpts", "N")


def _one_frame(stream: Any) -> Any:
    return stream.filter("trim", end_frame=1)


def _text_layer(scene: dict[str, Any], *, index: int, size: tuple[int, int], work: Path) -> TextLayer | None:
    return render_text_layer(
        scene.get("text", ""),
        colour=scene.get("text_color", "#ffffff"),
        frame=size,
        font_size=float(scene.get("font_size", 0.07)),
        position=scene.get("position", "center"),
        path=work / f"scene-{index}-text.png",
    )


def _text_image(layer: TextLayer) -> Any:
    # Converted to the overlay's pixel format once, before it is repeated.
    return _one_frame(ffmpeg.input(local_url(layer.path), **local_input_options())).filter("format", "yuva420p")


def _fading_in(image: Any, *, frames: int, fps: int) -> Any:
    return _hold(image, frames=frames, fps=fps).filter("fade", t="in", st=0, d=TEXT_FADE_SECONDS, alpha=1)


def _scene_stream(
    scene: dict[str, Any],
    *,
    index: int,
    frames: int,
    size: tuple[int, int],
    fps: int,
    work: Path,
    media: dict,
    pictures: dict[str, list[Any]],
) -> Any:
    """The scene as `frames` frames. A scene without a clip is static once its text has faded in:
    it is composed once and its frame repeated, so it costs what a still costs to encode."""
    width, height = size
    colour = scene["background"].replace("#", "0x")
    length = frames / fps

    def background(seconds: float) -> Any:
        # Named after the scene: ffmpeg-python would merge two scenes of the same colour into one node.
        source = f"color=c={colour}:s={width}x{height}:r={fps}:d={seconds:.3f},null@scene{index}"
        return ffmpeg.input(source, f="lavfi")

    layer = _text_layer(scene, index=index, size=size, work=work)
    medium = scene.get("media") or {}
    if medium.get("kind") == "image" and medium.get("name") in media:
        picture = pictures[medium["name"]].pop()
        still = ffmpeg.overlay(_one_frame(background(1 / fps)), picture, x="(W-w)/2", y="(H-h)/2")
    elif medium.get("name") in media:
        # Read as _pictures reads images: a local file in one of our containers, nothing else.
        local, safe = local_url(media[medium["name"]]), local_input_options()
        clip = ffmpeg.input(local, stream_loop=-1, t=f"{length:.3f}", **safe).video
        clip = clip.filter("fps", fps=fps).filter("scale", **_media_box(size)).filter("setsar", 1)
        moving = ffmpeg.overlay(background(length), clip, x="(W-w)/2", y="(H-h)/2", eof_action="repeat", shortest=0)
        if layer:
            text = _fading_in(_text_image(layer), frames=frames, fps=fps)
            moving = ffmpeg.overlay(moving, text, x=layer.x, y=layer.y, eof_action="repeat")
        return _normalised(moving.filter("trim", end_frame=frames), fps=fps)
    else:
        still = _one_frame(background(1 / fps))
    if not layer:
        return _normalised(_hold(still, frames=frames, fps=fps), fps=fps)
    fade_frames = min(frames, math.ceil(TEXT_FADE_SECONDS * fps))
    # ffmpeg-python merges equal nodes: a stream used twice must be split explicitly.
    stills, images = still.filter_multi_output("split", 2), _text_image(layer).filter_multi_output("split", 2)
    fading = ffmpeg.overlay(
        _hold(stills[0], frames=fade_frames, fps=fps),
        _fading_in(images[0], frames=fade_frames, fps=fps),
        x=layer.x,
        y=layer.y,
    )
    if fade_frames == frames:
        return _normalised(fading, fps=fps)
    settled = ffmpeg.overlay(stills[1], images[1], x=layer.x, y=layer.y)
    rest = _hold(settled, frames=frames - fade_frames, fps=fps)
    return ffmpeg.concat(_normalised(fading, fps=fps), _normalised(rest, fps=fps), v=1, a=0)


def _media_box(size: tuple[int, int]) -> dict[str, Any]:
    return {"w": int(size[0] * 0.8), "h": int(size[1] * 0.5), "force_original_aspect_ratio": "decrease"}


def _pictures(scenes: list[dict[str, Any]], *, size: tuple[int, int], media: dict) -> dict[str, list[Any]]:
    """Each image the scenes show, read and scaled once, split into one stream per scene showing it
    (ffmpeg-python merges equal nodes, and a node used twice must be split)."""
    names = [
        scene["media"]["name"]
        for scene in scenes
        if (scene.get("media") or {}).get("kind") == "image" and scene["media"].get("name") in media
    ]
    pictures = {}
    for name in set(names):
        # A stored file is read as a local file in one of our containers, whatever it has become
        # since it was checked: a playlist in its place is refused, not followed to other files.
        image = ffmpeg.input(local_url(media[name]), **local_input_options()).video
        picture = _one_frame(image).filter("scale", **_media_box(size)).filter("setsar", 1)
        uses = names.count(name)
        split = picture.filter_multi_output("split", uses) if uses > 1 else None
        pictures[name] = [split[n] for n in range(uses)] if split else [picture]
    return pictures


def _normalised(stream: Any, *, fps: int) -> Any:
    return stream.filter("format", "yuv420p").filter("setsar", 1).filter("settb", f"1/{fps}")


def _piece(stream: Any, *, start: int, end: int) -> Any:
    return stream.filter("trim", start_frame=start, end_frame=end).filter("setpts", "PTS-STARTPTS")


def _video_graph(spec: dict[str, Any], *, size: tuple[int, int], fps: int, work: Path, media: dict) -> Any:
    """The scenes one after another; a transition blends only the frames where two scenes overlap.

    A transition processes every frame it is given, so each scene is cut into its opening (the
    incoming half of a transition), its body and its closing, and only openings and closings go
    through it (videos.render.transitions).
    """
    scenes = spec["scenes"]
    overlaps = [
        round(min(TRANSITION_SECONDS, scene["duration"] / 3) * fps) if scene["transition"] != "cut" else 0
        for scene in scenes
    ]
    pictures = _pictures(scenes, size=size, media=media)
    pieces = []
    closing = None
    for index, scene in enumerate(scenes):
        # A scene runs on for the length of the next transition, so the total stays the spec's duration.
        tail = overlaps[index + 1] if index + 1 < len(scenes) else 0
        frames = max(1, round(scene["duration"] * fps)) + tail
        stream = _scene_stream(
            scene, index=index, frames=frames, size=size, fps=fps, work=work, media=media, pictures=pictures
        )
        head = overlaps[index] if closing is not None else 0
        cuts = [(0, head)] * bool(head) + [(head, frames - tail)] + [(frames - tail, frames)] * bool(tail)
        if len(cuts) > 1:
            split = stream.filter_multi_output("split", len(cuts))
            parts = [_piece(split[n], start=start, end=end) for n, (start, end) in enumerate(cuts)]
        else:
            parts = [stream]
        if head:
            opening = parts.pop(0)
            pieces.append(
                _normalised(
                    transition(
                        closing, opening, kind=scene["transition"], frames=head, size=size, fps=fps, index=index
                    ),
                    fps=fps,
                )
            )
        elif closing is not None:
            pieces.append(closing)
        closing = parts.pop() if tail else None
        pieces.extend(parts)
    if closing is not None:
        pieces.append(closing)
    return pieces[0] if len(pieces) == 1 else ffmpeg.concat(*pieces, v=1, a=0)


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


def quality_long_side(quality: str) -> int:
    """The long side in pixels of a render at `quality` (final or draft)."""
    if quality not in QUALITIES:
        raise ValueError(f"unknown render quality {quality!r}")
    final = settings.VIDEO_RENDER_LONG_SIDE
    return final if quality == "final" else min(DRAFT_LONG_SIDE, final)


def encoded_output(video: Any, audio: Any, *, output: Path, fps: int, duration: float) -> Any:
    """The encoder settings of every render (and of the bench's floor, so the two compare like for like)."""
    return ffmpeg.output(
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


def render_spec(
    spec: dict[str, Any],
    *,
    aspect_ratio: str,
    work_dir: Path,
    media: dict[str, str] | None = None,
    quality: str = "final",
    long_side: int | None = None,
    fps: int | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> RenderResult:
    """Render `spec` into `work_dir/video.mp4` and `work_dir/thumbnail.jpg`; raise RenderError on failure.

    `quality` "final" renders at VIDEO_RENDER_LONG_SIDE, "draft" at DRAFT_LONG_SIDE (never larger
    than final); `long_side` overrides both. Each ffmpeg call is killed once it runs past
    `render_time_limit` (RenderTimeout).
    """
    started = time.monotonic()
    size = frame_size(aspect_ratio, long_side or quality_long_side(quality))
    fps = fps or settings.VIDEO_RENDER_FPS
    duration = float(spec["duration"])
    output = work_dir / "video.mp4"
    video = _video_graph(spec, size=size, fps=fps, work=work_dir, media=media or {})
    audio = _audio_graph(spec, duration)
    thumbnail = work_dir / "thumbnail.jpg"
    # The thumbnail is taken from the frames on their way to the encoder: no second ffmpeg decoding
    # the finished file.
    frames = video.filter_multi_output("split", 2)
    still = frames[1].filter("select", f"eq(n,{_thumbnail_frame(duration, fps)})")
    command = (
        ffmpeg.merge_outputs(
            encoded_output(frames[0], audio, output=output, fps=fps, duration=duration),
            ffmpeg.output(still, str(thumbnail), vframes=1, **{"q:v": 3}),
        )
        .global_args("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error", "-progress", "pipe:1")
        .overwrite_output()
        .compile()
    )
    limit = render_time_limit(duration=duration)
    run_with_progress(command, duration=duration, timeout=limit, on_progress=on_progress)
    if not thumbnail.exists():
        raise RenderError("thumbnail failed: no frame at that time")
    return RenderResult(
        video_path=output,
        thumbnail_path=thumbnail,
        width=size[0],
        height=size[1],
        duration=duration,
        seconds_of_work=time.monotonic() - started,
    )


def _thumbnail_frame(duration: float, fps: int) -> int:
    """The frame a render's thumbnail shows: the one at 1 s, or half-way through a shorter video."""
    return min(round(min(1.0, duration / 2) * fps), max(0, round(duration * fps) - 1))


def run_with_progress(
    command: list[str], *, duration: float, timeout: float, on_progress: Callable[[int], None] | None
) -> None:
    """Run an ffmpeg command that writes `-progress pipe:1`, reporting its percentage in steps of 5."""
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
