"""Scene transitions: the frames where one scene gives way to the next.

ffmpeg's xfade draws every transition with floating-point work per pixel and per frame; for some
that work is a sine (dissolve), an arctangent (radial) or a square root (circleopen) of the pixel's
position, the same on every frame. Those are drawn here as a sweep instead: the per-pixel value (the
"key") is computed once, on one frame, and each frame of the transition picks the next scene's
pixels whose key has been reached, with a table lookup and a masked merge (integer work). A fade is
the next scene faded in over the last one with the overlay filter's alpha blending. The other
transitions (wipes and slides) are cheap in xfade already and stay there.
"""

from typing import Any

import ffmpeg

# What each swept transition's key is at pixel (X, Y) of a W x H frame, from 0 to 255: the order in
# which the next scene's pixels appear (highest first).
SWEEP_KEYS = {
    # Random order: the next scene appears speck by speck.
    "dissolve": "255*random(1)",
    # Clockwise from twelve o'clock, as a clock hand sweeps.
    # (atan2 of the offset right and up is the angle clockwise from twelve, from -PI to PI.)
    "radial": "255*(1-mod(atan2(X-W/2,H/2-Y)+2*PI,2*PI)/(2*PI))",
    # From the centre outwards, as a circle opening.
    "circleopen": "255*(1-hypot(X-W/2,Y-H/2)/hypot(W/2,H/2))",
}
# How many key steps a sweep's edge spans: 1 is a hard edge (a speck is either scene), more blends.
SWEEP_SOFTNESS = {"dissolve": 1, "radial": 6, "circleopen": 12}


def _frame_source(size: tuple[int, int], fps: int, *, name: str) -> Any:
    # Named: ffmpeg-python would merge two equal sources (two dissolves) into one node used twice.
    return ffmpeg.input(f"color=c=black:s={size[0]}x{size[1]}:r={fps}:d={1 / fps:.6f},null@{name}", f="lavfi")


def sweep_key(kind: str, *, size: tuple[int, int], fps: int, name: str) -> Any:
    """One frame whose every plane holds the transition's key; a chroma sample takes the key of the
    luma pixel it sits on, so a pixel changes scene as a whole."""
    luma = (
        _frame_source(size, fps, name=name)
        .filter("format", "yuv420p")
        .filter("geq", lum=SWEEP_KEYS[kind], cb="128", cr="128")
    )
    return luma.filter("geq", lum="lum(X,Y)", cb="lum(2*X,2*Y)", cr="lum(2*X,2*Y)")


def _masks(key: Any, *, kind: str, frames: int, fps: int) -> Any:
    """`frames` masks, 0 where the last scene still shows and 255 where the next one does."""
    copies = key.filter_multi_output("split", frames) if frames > 1 else None
    softness = SWEEP_SOFTNESS[kind]
    masks = []
    for index in range(frames):
        # The share of the key range already reached grows evenly, never 0 or all at the ends.
        reached = 256 * (index + 1) / (frames + 1)
        low = 256 - reached
        expression = (
            f"clip((val-{low:.3f})*{255 / softness:.3f}+128,0,255)" if softness > 1 else f"255*gte(val,{low:.3f})"
        )
        masks.append((copies[index] if copies else key).filter("lutyuv", y=expression, u=expression, v=expression))
    joined = ffmpeg.concat(*masks, v=1, a=0) if len(masks) > 1 else masks[0]
    return joined.filter("settb", f"1/{fps}").filter("setpts", "N")


def _aligned(stream: Any, fps: int) -> Any:
    return stream.filter("settb", f"1/{fps}").filter("setpts", "N")


def transition(
    closing: Any, opening: Any, *, kind: str, frames: int, size: tuple[int, int], fps: int, index: int
) -> Any:
    """`frames` frames that take the last scene's `closing` frames to the next scene's `opening` ones
    (into scene `index`)."""
    closing, opening = _aligned(closing, fps), _aligned(opening, fps)
    if kind in SWEEP_KEYS:
        masks = _masks(sweep_key(kind, size=size, fps=fps, name=f"sweep{index}"), kind=kind, frames=frames, fps=fps)
        return ffmpeg.filter([closing, opening, masks], "maskedmerge")
    if kind == "fade":
        appearing = opening.filter("format", "yuva420p").filter(
            "fade", t="in", start_frame=0, nb_frames=frames + 1, alpha=1
        )
        return ffmpeg.overlay(closing, appearing, format="yuv420")
    return ffmpeg.filter([closing, opening], "xfade", transition=kind, duration=f"{frames / fps:.3f}", offset=0)
