"""Render speed of every starter template, beside the floor: a plain encode of the same length.

Prints, per template, seconds of video rendered per second of wall time (higher is faster), and
the floor: ffmpeg encoding a flat colour source of the same size, frame rate, duration, codec,
preset and audio, timed in the same run. "x floor" is the render's wall time over the floor's
(1.0 would be a render that costs no more than encoding a blank video); the CPU columns are the
same times counted in CPU seconds of ffmpeg, steadier when other work shares the machine.
Run from the project root:
    .venv/bin/python bench/render.py [--quality final|draft] [--long-side 1920] [--fps 30] [slug ...]
"""

import argparse
import importlib
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

import ffmpeg  # noqa: E402
from django.conf import settings  # noqa: E402

from videos.ffmpeg_run import run_tool  # noqa: E402
from videos.render import ffmpeg as renderer  # noqa: E402
from videos.render.spec import resolve_render_spec  # noqa: E402

# The starter templates exactly as the data migration seeds them (no database needed).
STARTERS = importlib.import_module("videos.migrations.0003_seed_starter_templates").STARTERS
DRAFT_LONG_SIDE = getattr(renderer, "DRAFT_LONG_SIDE", 720)  # as before the renderer had qualities


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def floor_command(spec: dict, *, size: tuple[int, int], fps: int, output: Path) -> list[str]:
    """A flat colour of the render's size, rate and length, with the render's audio and encoder settings."""
    duration = float(spec["duration"])
    video = ffmpeg.input(f"color=c=0x000000:s={size[0]}x{size[1]}:r={fps}:d={duration:.3f}", f="lavfi")
    audio = renderer._audio_graph(spec, duration)
    return (
        renderer.encoded_output(video, audio, output=output, fps=fps, duration=duration)
        .global_args("-hide_banner", "-nostdin", "-nostats", "-loglevel", "error")
        .overwrite_output()
        .compile()
    )


def timed(work, *args, **kwargs) -> tuple[float, float]:
    cpu, started = children_cpu(), time.perf_counter()
    work(*args, **kwargs)
    return time.perf_counter() - started, children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", choices=("final", "draft"), default="final")
    parser.add_argument("--long-side", type=int, help="overrides --quality")
    parser.add_argument("--fps", type=int, default=settings.VIDEO_RENDER_FPS)
    parser.add_argument("slugs", nargs="*", help="only these templates")
    args = parser.parse_args()
    long_side = args.long_side or (settings.VIDEO_RENDER_LONG_SIDE if args.quality == "final" else DRAFT_LONG_SIDE)
    print(f"ffmpeg preset {settings.VIDEO_RENDER_PRESET}, {args.fps} fps, {os.cpu_count()} CPUs, long side {long_side}")
    print(
        f"{'template':<32} {'size':>9} {'video s':>7} {'wall s':>7} {'floor s':>7} {'x floor':>7} "
        f"{'video s/wall s':>14} {'cpu s':>6} {'floor cpu':>9} {'x floor cpu':>11}"
    )
    totals = [0.0] * 5
    for starter in STARTERS:
        if args.slugs and starter["slug"] not in args.slugs:
            continue
        spec = resolve_render_spec(spec=starter["spec"], duration=starter["duration_seconds"], customization={})
        size = renderer.frame_size(starter["aspect_ratio"], long_side)
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            work = Path(tmp)
            wall, cpu = timed(
                renderer.render_spec,
                spec,
                aspect_ratio=starter["aspect_ratio"],
                work_dir=work,
                long_side=long_side,
                fps=args.fps,
            )
            command = floor_command(spec, size=size, fps=args.fps, output=work / "floor.mp4")
            floor_wall, floor_cpu = timed(run_tool, command, timeout=3600)
        duration = float(spec["duration"])
        for index, value in enumerate((duration, wall, floor_wall, cpu, floor_cpu)):
            totals[index] += value
        row(starter["slug"], f"{size[0]}x{size[1]}", duration, wall, floor_wall, cpu, floor_cpu)
    if totals[1]:
        row("all", "", *totals)


def row(name: str, size: str, duration: float, wall: float, floor_wall: float, cpu: float, floor_cpu: float) -> None:
    print(
        f"{name:<32} {size:>9} {duration:>7.1f} {wall:>7.2f} {floor_wall:>7.2f} {wall / floor_wall:>7.2f} "
        f"{duration / wall:>14.2f} {cpu:>6.1f} {floor_cpu:>9.1f} {cpu / floor_cpu:>11.2f}"
    )


if __name__ == "__main__":
    main()
