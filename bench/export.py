"""Batch-export speed and memory: the export task beside `zip -0` on the same files, in the same run.

Prints ZIP throughput in MB/s of the whole export build (read from storage, ZIP written, stored)
and of `zip -0` over the same files, then the build's peak memory for 10 and for 50 videos (each
build runs in a fresh process: peak RSS of that process, and the peak of Python's own allocations).
Everything lives in a throwaway folder (SQLite database, local storage). Run from the project root:
  .venv/bin/python bench/export.py [--video-mb 20] [--rounds 2]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def _setup(folder: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"  # locmem e-mail, tasks in-process
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(folder / "media")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _prepare(folder: Path, *, count: int, video_mb: int) -> list[int]:
    """Migrate the throwaway database and store `count` videos of `video_mb` MB; their ids."""
    from django.core.files.storage import default_storage
    from django.core.management import call_command

    from teams.models import User
    from videos.models import Video

    call_command("migrate", verbosity=0)
    owner, _created = User.objects.get_or_create(email="bench@example.com", defaults={"display_name": "Bench"})
    ids = []
    block = os.urandom(MB)  # random, so nothing along the way could compress it
    for index in range(count):
        video = Video.objects.create(owner=owner, title=f"Bench video {index}", status=Video.Status.READY)
        name = f"videos/{video.pk}/v1/video.mp4"
        path = Path(default_storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as sink:
            for _ in range(video_mb):
                sink.write(block)
        Video.objects.filter(pk=video.pk).update(file=name, size_bytes=video_mb * MB)
        ids.append(video.pk)
    return ids


def _build(video_ids: list[int], *, trace: bool) -> dict:
    """One export build of these videos, timed, with its memory figures."""
    import tracemalloc

    from videos.models import ExportJob, Video
    from videos.services.exports import export_build

    owner = Video.objects.get(pk=video_ids[0]).owner
    job = ExportJob.objects.create(owner=owner, video_count=len(video_ids))
    job.videos.set(video_ids)
    if trace:  # tracing slows allocation down: only the memory runs trace
        tracemalloc.start()
    started = time.perf_counter()
    assert export_build(job_id=job.pk), "the build did not finish"
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory() if trace else (0, 0)
    tracemalloc.stop()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY
    return {
        "seconds": seconds,
        "zip_bytes": job.size_bytes,
        "python_peak_mb": peak / MB,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child(folder: Path, count: int, *, trace: bool) -> None:
    """Run in a fresh process: build the first `count` videos once, print the figures as JSON."""
    _setup(folder)
    from videos.models import Video

    ids = list(Video.objects.order_by("pk").values_list("pk", flat=True)[:count])
    print(json.dumps(_build(ids, trace=trace)))


def _in_child(folder: Path, count: int, *, trace: bool) -> dict:
    output = subprocess.run(  # noqa: S603 (this very script, with our own arguments)
        [sys.executable, __file__, "--child", str(folder), str(count), str(int(trace))],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _zip0(media: Path, files: list[str], target: Path) -> float:
    started = time.perf_counter()
    # Our own paths and the system's zip: nothing untrusted.
    subprocess.run(["zip", "-0", "-q", str(target), *files], check=True, cwd=media)  # noqa: S603, S607
    seconds = time.perf_counter() - started
    target.unlink()
    return seconds


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("--child", "--prepare"):
        folder, count, last = Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
        if sys.argv[1] == "--prepare":
            _setup(folder)
            _prepare(folder, count=count, video_mb=last)
        else:
            _child(folder, count, trace=bool(last))  # the last argument: MB to prepare, or whether to trace
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--video-mb", type=int, default=20, help="size of each stored video")
    parser.add_argument("--rounds", type=int, default=2, help="best of this many runs for throughput")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-export-") as tmp:
        folder = Path(tmp)
        # Django is set up in child processes only, so each measured build starts from a fresh process.
        prepare = [sys.executable, __file__, "--prepare", str(folder), "50", str(args.video_mb)]
        subprocess.run(prepare, check=True)  # noqa: S603 (this very script, with our own arguments)
        media = folder / "media"
        files = sorted(str(path.relative_to(media)) for path in media.rglob("video.mp4"))
        total_mb = sum((media / name).stat().st_size for name in files) / MB
        print(f"{len(files)} videos of {args.video_mb} MB ({total_mb:.0f} MB), {os.cpu_count()} CPUs, local storage")
        os.sync()  # the freshly written videos reach the disk before anything is timed
        zip_times, ours_times = [], []
        for _ in range(args.rounds):  # interleaved, so neither side always runs on a warmer cache
            zip_times.append(_zip0(media, files, folder / "zip0.zip"))
            os.sync()
            ours_times.append(_in_child(folder, 50, trace=False)["seconds"])
            os.sync()
        zip_best, ours_best = min(zip_times), min(ours_times)
        print(f"{'what':<34} {'seconds':>8} {'MB/s':>8}")
        print(f"{'zip -0 (same files)':<34} {zip_best:>8.2f} {total_mb / zip_best:>8.0f}")
        print(f"{'export task (storage to storage)':<34} {ours_best:>8.2f} {total_mb / ours_best:>8.0f}")
        print(f"{'export / zip -0 speed':<34} {'':>8} {zip_best / ours_best:>8.2f}x")
        print()
        print(f"{'videos':>6} {'ZIP MB':>8} {'peak RSS MB':>12} {'peak Python MB':>15}")
        for count in (10, 50):
            run = _in_child(folder, count, trace=True)
            print(
                f"{count:>6} {run['zip_bytes'] / MB:>8.0f} {run['rss_peak_mb']:>12.1f} {run['python_peak_mb']:>15.2f}"
            )


if __name__ == "__main__":
    main()
