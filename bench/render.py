"""Render speed of every starter template at its production resolution.

Prints, per template, seconds of video rendered per second of wall time (higher is faster).
Run from the project root:  .venv/bin/python bench/render.py [--long-side 1920] [--fps 30] [slug ...]
"""

import argparse
import importlib
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from videos.render.ffmpeg import frame_size, render_spec  # noqa: E402
from videos.render.spec import resolve_render_spec  # noqa: E402

# The starter templates exactly as the data migration seeds them (no database needed).
STARTERS = importlib.import_module("videos.migrations.0003_seed_starter_templates").STARTERS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long-side", type=int, default=settings.VIDEO_RENDER_LONG_SIDE)
    parser.add_argument("--fps", type=int, default=settings.VIDEO_RENDER_FPS)
    parser.add_argument("slugs", nargs="*", help="only these templates")
    args = parser.parse_args()
    print(f"ffmpeg preset {settings.VIDEO_RENDER_PRESET}, {args.fps} fps, {os.cpu_count()} CPUs")
    print(f"{'template':<36} {'size':>10} {'video s':>8} {'wall s':>8} {'video s / wall s':>17}")
    total_video = total_wall = 0.0
    for starter in STARTERS:
        if args.slugs and starter["slug"] not in args.slugs:
            continue
        spec = resolve_render_spec(spec=starter["spec"], duration=starter["duration_seconds"], customization={})
        width, height = frame_size(starter["aspect_ratio"], args.long_side)
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            started = time.perf_counter()
            result = render_spec(
                spec, aspect_ratio=starter["aspect_ratio"], work_dir=Path(tmp), long_side=args.long_side, fps=args.fps
            )
            wall = time.perf_counter() - started
        total_video += result.duration
        total_wall += wall
        print(
            f"{starter['slug']:<36} {f'{width}x{height}':>10} {result.duration:>8.1f} {wall:>8.2f} "
            f"{result.duration / wall:>17.2f}"
        )
    if total_wall:
        print(f"{'all':<36} {'':>10} {total_video:>8.1f} {total_wall:>8.2f} {total_video / total_wall:>17.2f}")


if __name__ == "__main__":
    main()
