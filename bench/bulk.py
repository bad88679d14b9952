"""Bulk generation speed for 1,000 rows: reading and checking the sheet, creating and enqueuing every
row's video, and render throughput at draft and final quality beside a single render in the same run.

- validation: the 1,000-row sheet read from CSV and from XLSX, every cell checked, then the whole
  `bulk_job_prepare` (context lookups, checks, limits, 1,000 rows stored); target under 1 s;
- create + enqueue: `bulk_job_start` (limits for the whole job, batch tasks published) and then every
  batch run in this process as a worker runs it: each row's video made through the single-create
  service (`video_create_from_template`) and its render task published; target under 2 s;
- renders: a sample of the rows (6 by default, to keep the run short) rendered one after the other
  by this process, as one worker process does (ffmpeg itself uses every core), at draft and at final
  quality, beside one single video of the same template and duration rendered in the same run.

Everything lives in a throwaway folder (SQLite unless --database-url names an empty PostgreSQL
database; local storage; Celery publishing to kombu's in-memory broker unless --broker-url is
given, so nothing renders behind the measurement's back). Run from the project root:
  .venv/bin/python bench/bulk.py [--rows 1000] [--sample 6] [--database-url postgres://…] [--broker-url redis://…]
"""

import argparse
import csv
import io
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = "instagram-reel-product-showcase"  # five scenes, a product slot: the shops' case
SECONDS = 10  # each video's duration (the template's shortest)
COLOURS = ["#14532d", "#1e3a8a", "#9a3412", "#581c87", "#0f766e", "#be123c"]


def _setup(folder: Path, *, database_url: str | None, broker_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"  # locmem e-mail
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ["DJANGO_MEDIA_ROOT"] = str(folder / "media")
    os.environ["CELERY_BROKER_URL"] = broker_url or "memory://"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"  # tasks are published, not run here
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # The test settings render tiny frames; the bench renders what users get (the base settings).
    settings.VIDEO_RENDER_LONG_SIDE = 1920
    settings.VIDEO_RENDER_FPS = 30
    settings.VIDEO_RENDER_PRESET = "veryfast"


def _account():
    """A creator on a plan without limits (the bench measures speed, not the Free plan's caps)."""
    from django.core.management import call_command
    from django.utils import timezone

    from billing.models import Plan, Subscription
    from teams.models import User

    call_command("migrate", verbosity=0)
    plan, _ = Plan.objects.get_or_create(code="bench", defaults={"name": "Bench", "rank": 1000, "is_public": False})
    user, _ = User.objects.get_or_create(email="bench@example.com", defaults={"display_name": "Bench"})
    Subscription.objects.get_or_create(
        user=user, plan=plan, defaults={"current_period_end": timezone.now() + timezone.timedelta(days=30)}
    )
    return user


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def _rows(count: int) -> list[dict[str, str]]:
    return [
        {
            "title": f"Product {n} — launch",
            "text_1": f"Meet product {n}",
            "text_2": "Designed for every day",
            "text_3": f"Only {10 + n % 90} €",
            "background_1": COLOURS[n % len(COLOURS)],
            "background_3": COLOURS[(n + 2) % len(COLOURS)],
            "text_color": "#ffffff",
            "duration": str(SECONDS),
        }
        for n in range(1, count + 1)
    ]


def _as_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _as_xlsx(rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


CPU: dict[str, float] = {}


def _timed(function, *args, key: str = "", **kwargs):  # type: ignore[no-untyped-def]
    """The result and the wall seconds; this process's CPU seconds go to CPU[key or function name]."""
    started, cpu = time.perf_counter(), time.process_time()
    result = function(*args, **kwargs)
    CPU[key or function.__name__] = time.process_time() - cpu
    return result, time.perf_counter() - started


def _render_sample(user, template, rows, *, quality: str) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """Make a job of `rows` at `quality`, run its batch, render every row here; (seconds, videos)."""
    from videos.models import BulkRow
    from videos.services import bulk

    job = bulk.bulk_job_prepare(user=user, team=None, template=template, rows=rows, quality=quality)
    bulk.bulk_job_start(job=job)
    bulk.bulk_batch_process(job_id=job.pk, first=1, last=len(rows))
    row_ids = list(job.rows.order_by("number").values_list("pk", flat=True))
    started = time.perf_counter()
    for row_id in row_ids:
        bulk.bulk_row_render(row_id=row_id)
    seconds = time.perf_counter() - started
    rendered = job.rows.filter(status=BulkRow.Status.RENDERED).count()
    return seconds, rendered


def _single(user, template, *, quality: str) -> float:  # type: ignore[no-untyped-def]
    from videos.models import VideoVersion
    from videos.services.versions import version_render
    from videos.services.videos import video_create_from_template

    row = _rows(1)[0]
    video = video_create_from_template(
        user=user,
        team=None,
        template=template,
        title="Single",
        customization={
            "texts": [row["text_1"], row["text_2"], row["text_3"]],
            "backgrounds": [row["background_1"], "", row["background_3"]],
            "text_color": row["text_color"],
            "duration": SECONDS,
        },
        quality=quality,
        enqueue_render=False,
    )
    version = VideoVersion.objects.get(video=video)
    _done, seconds = _timed(version_render, version_id=version.pk)
    version.refresh_from_db()
    assert version.status == VideoVersion.Status.READY, version.error_message
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=6, help="rows rendered per quality")
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a throwaway SQLite file)")
    parser.add_argument("--broker-url", help="a broker to publish to (default: kombu's in-memory broker)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-bulk-") as tmp:
        folder = Path(tmp)
        _setup(folder, database_url=args.database_url, broker_url=args.broker_url)
        from django.db import connection

        from videos import bulk_sheets
        from videos.models import BulkJob, Template, Video
        from videos.services import bulk

        user = _account()
        template = Template.objects.get(slug=TEMPLATE)
        rows = _rows(args.rows)
        csv_bytes, xlsx_bytes = _as_csv(rows), _as_xlsx(rows)
        print(
            f"{args.rows} rows, template “{template.slug}” ({len(template.scene_spec['scenes'])} scenes), "
            f"{os.cpu_count()} CPUs, {connection.vendor}, broker {os.environ['CELERY_BROKER_URL'].split(':')[0]}"
        )

        from_csv, csv_seconds = _timed(bulk_sheets.read_sheet, key="csv", name="s.csv", handle=io.BytesIO(csv_bytes))
        from_xlsx, xlsx_seconds = _timed(
            bulk_sheets.read_sheet, key="xlsx", name="s.xlsx", handle=io.BytesIO(xlsx_bytes)
        )
        assert len(from_csv) == len(from_xlsx) == args.rows
        context = bulk.bulk_context(user=user, team=None, template=template)
        checked, check_seconds = _timed(bulk_sheets.check_rows, from_csv, context)
        assert not any(row.errors for row in checked)
        job, prepare_seconds = _timed(
            bulk.bulk_job_prepare, user=user, team=None, template=template, rows=from_csv, quality="draft"
        )
        assert job.valid_count == args.rows

        job, start_seconds = _timed(bulk.bulk_job_start, job=job)
        batches = bulk._batches(list(range(1, args.rows + 1)))
        started, cpu = time.perf_counter(), time.process_time()
        for first, last in batches:
            bulk.bulk_batch_process(job_id=job.pk, first=first, last=last)
        create_seconds = time.perf_counter() - started
        CPU["batches"] = time.process_time() - cpu
        job = BulkJob.objects.get(pk=job.pk)
        assert job.created_count == args.rows and Video.objects.filter(bulk_row__job=job).count() == args.rows

        print()
        print(f"Wall seconds (the machine is shared: see the load) and this process's CPU seconds. Load: {_load()}")
        print(f"{'step (' + str(args.rows) + ' rows)':<60} {'wall s':>7} {'CPU s':>7} {'target':>7}")
        lines = [
            ("read the sheet: CSV", csv_seconds, CPU["csv"], ""),
            ("read the sheet: XLSX (openpyxl, read-only)", xlsx_seconds, CPU["xlsx"], ""),
            ("check every cell (bulk_sheets.check_rows)", check_seconds, CPU["check_rows"], ""),
            ("validation: bulk_job_prepare (check + store all rows)", prepare_seconds, CPU["bulk_job_prepare"], "< 1"),
            (
                f"create + enqueue all rows: bulk_job_start ({len(batches)} batches queued)",
                start_seconds,
                CPU["bulk_job_start"],
                "< 2",
            ),
            ("worker: every video made + its render queued (one process)", create_seconds, CPU["batches"], ""),
        ]
        for label, wall, cpu_seconds, target in lines:
            print(f"{label:<60} {wall:>7.3f} {cpu_seconds:>7.3f} {target:>7}")
        print(
            f"{'  i.e. per row, through video_create_from_template':<60} {1000 * create_seconds / args.rows:>5.1f}ms"
            f" {1000 * CPU['batches'] / args.rows:>5.1f}ms  ({args.rows / create_seconds:.0f} rows/s)"
        )

        if not args.sample:
            return
        sample = [dict(row, title=f"Sample {n}") for n, row in enumerate(rows[: args.sample], start=1)]
        print()
        print(
            f"Renders: {args.sample} rows per quality, one after the other in one process, {SECONDS} s videos, "
            f"load {_load()}"
        )
        print(f"{'render':<42} {'seconds':>8} {'videos/min':>11}")
        for quality in ("draft", "final"):
            single = _single(user, template, quality=quality)
            seconds, rendered = _render_sample(user, template, sample, quality=quality)
            assert rendered == args.sample, f"only {rendered} of {args.sample} rendered"
            print(f"{'single video, ' + quality + ' (reference)':<42} {single:>8.2f} {60 / single:>11.1f}")
            label = f"bulk job, {quality}, {rendered} rows"
            print(f"{label:<42} {seconds:>8.2f} {60 * rendered / seconds:>11.1f}")


if __name__ == "__main__":
    main()
