"""One still frame of one scene, drawn by the renderer's own scene graph: the live preview.

The preview is the frame a viewer sees once the scene's text has faded in, composed by the same
`_scene_stream` the real render uses (same text layer, same media box, same colours), at draft
size, with the chosen logo placed as the branding step places it. So what the creator sees while
typing is what the render will show.
"""

import math
from pathlib import Path
from typing import Any

import ffmpeg
from django.conf import settings

from videos.media import local_input_options, local_url
from videos.render.branding import logo_placement
from videos.render.ffmpeg import (
    TEXT_FADE_SECONDS,
    _one_frame,
    _pictures,
    _run,
    _scene_stream,
    frame_size,
    quality_long_side,
)

PREVIEW_QUALITY = "draft"
JPEG_QUALITY = 4  # ffmpeg's -q:v for MJPEG: 2 is best, 31 worst; 4 is sharp at a preview's size


def settled_frame(scene: dict[str, Any], *, fps: int) -> int:
    """The 0-based frame of a scene that the preview shows: the first with its text fully faded in
    (the last frame of a scene shorter than the fade)."""
    frames = max(1, round(scene["duration"] * fps))
    return min(frames - 1, math.ceil(TEXT_FADE_SECONDS * fps))


def preview_size(aspect_ratio: str) -> tuple[int, int]:
    return frame_size(aspect_ratio, quality_long_side(PREVIEW_QUALITY))


def render_scene_preview(
    spec: dict[str, Any],
    *,
    scene: int,
    aspect_ratio: str,
    work_dir: Path,
    media: dict[str, str] | None = None,
    logo: tuple[Path, dict[str, Any]] | None = None,
) -> Path:
    """Write the settled frame of scene `scene` (0-based) of a resolved spec as a JPEG; its path.

    `logo` is the logo file and the profile's overlay settings; the margin, which is in pixels of
    the final video, is scaled to the preview's size. Raises RenderError like a render.
    """
    size = preview_size(aspect_ratio)
    fps = settings.VIDEO_RENDER_FPS
    chosen = spec["scenes"][scene]
    at = settled_frame(chosen, fps=fps)
    media = media or {}
    stream = _scene_stream(
        chosen,
        index=scene,
        frames=at + 1,
        size=size,
        fps=fps,
        work=work_dir,
        media=media,
        pictures=_pictures([chosen], size=size, media=media),
    )
    frame = stream.filter("trim", start_frame=at, end_frame=at + 1)
    if logo is not None:
        path, overlay = logo
        final_width = frame_size(aspect_ratio, quality_long_side("final"))[0]
        place = logo_placement(overlay, video_width=size[0], margin_scale=size[0] / final_width)
        image = (
            _one_frame(ffmpeg.input(local_url(path), **local_input_options()).video)
            .filter("format", "rgba")
            .filter("scale", w=place.width, h=-1, flags="lanczos")
            .filter("colorchannelmixer", aa=f"{place.alpha:.4f}")
        )
        frame = ffmpeg.overlay(frame, image, x=place.x, y=place.y, format="auto")
    output = work_dir / f"preview-{scene}.jpg"
    command = (
        ffmpeg.output(frame, str(output), vframes=1, **{"q:v": JPEG_QUALITY})
        .global_args("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error")
        .overwrite_output()
        .compile()
    )
    _run(command, timeout=settings.VIDEO_RENDER_TIMEOUT_BASE_SECONDS, failed="preview failed")
    return output
