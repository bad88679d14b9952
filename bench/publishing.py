"""Publishing's claim loop: claimed-and-dispatched publications per second with 10,000 due rows on
PostgreSQL, and the duplicate count (must be 0), beside a plain `UPDATE … WHERE id IN (SELECT … FOR
UPDATE SKIP LOCKED)` loop in raw SQL (claim only, no dispatch) measured in the same run.

Several processes run the loop at once, as overlapping beat ticks would. Ours dispatches one task per
platform target to the real broker (no worker consumes them); afterwards the queue is drained and
every message counted per target, so a target dispatched twice shows as a duplicate. Needs
PostgreSQL and a Redis broker; the rows it makes are deleted again. Run from the project root:
  DATABASE_URL=postgres://… CELERY_BROKER_URL=redis://… .venv/bin/python bench/publishing.py [--rows 10000]
"""

import argparse
import multiprocessing
import os
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RAW_CLAIM = """
UPDATE videos_publication SET status = 'publishing', claimed_at = now()
WHERE id IN (
    SELECT id FROM videos_publication WHERE status = 'scheduled' AND scheduled_at <= now()
    ORDER BY scheduled_at, id LIMIT %s FOR UPDATE SKIP LOCKED
) RETURNING id
"""


def _setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"  # dispatch to the broker, like production
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql" or not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
        sys.exit("Set DATABASE_URL to PostgreSQL and CELERY_BROKER_URL to Redis.")


def _seed(rows: int, platforms: int) -> None:
    from datetime import timedelta

    from allauth.socialaccount.models import SocialAccount
    from django.utils import timezone

    from teams.models import User
    from videos.models import Video
    from videos.publishing_models import Platform, Publication, PublicationTarget

    owner, _created = User.objects.get_or_create(
        email="bench-publishing@example.com", defaults={"display_name": "Bench"}
    )
    video = Video.objects.create(owner=owner, title="Bench", status=Video.Status.READY, file="bench.mp4")
    account = SocialAccount.objects.create(user=owner, provider="google", uid=f"bench-{video.pk}")
    due = timezone.now() - timedelta(minutes=1)
    publications = Publication.objects.bulk_create(
        [Publication(video=video, owner=owner, scheduled_at=due) for _ in range(rows)], batch_size=2000
    )
    names = Platform.values[:platforms]
    PublicationTarget.objects.bulk_create(
        [PublicationTarget(publication=p, platform=n, social_account=account) for p in publications for n in names],
        batch_size=2000,
    )


def _cleanup() -> None:
    from teams.models import User

    for user in User.objects.filter(email="bench-publishing@example.com"):
        user.videos.all().delete()
        user.socialaccount_set.all().delete()


def _ours(batch: int, results: "multiprocessing.Queue") -> None:
    from django.db import connection

    from videos.services.publishing import publications_claim_due

    claimed = dispatched = 0
    while True:
        done = publications_claim_due(limit=batch)
        if not done["claimed"]:
            break
        claimed += done["claimed"]
        dispatched += done["dispatched"]
    connection.close()
    results.put((claimed, dispatched, []))


def _reference(batch: int, results: "multiprocessing.Queue") -> None:
    from django.db import connection, transaction

    ids: list[int] = []
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(RAW_CLAIM, [batch])
            got = [row[0] for row in cursor.fetchall()]
        if not got:
            break
        ids.extend(got)
    connection.close()
    results.put((len(ids), 0, ids))


def _run(kind: str, *, rows: int, platforms: int, workers: int, batch: int) -> dict:
    from django.db import connection

    from config.celery import app

    _cleanup()
    _seed(rows, platforms)
    app.control.purge()
    connection.close()  # the children open their own
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    target = _ours if kind == "ours" else _reference
    processes = [context.Process(target=target, args=(batch, results)) for _ in range(workers)]
    started = time.perf_counter()
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=600) for _ in processes]
    seconds = time.perf_counter() - started
    for process in processes:
        process.join()
    claimed = sum(o[0] for o in outcomes)
    claimed_ids = Counter(i for o in outcomes for i in o[2])
    messages = _drain(app) if kind == "ours" else Counter()
    duplicates = (claimed - rows) + sum(n - 1 for n in messages.values()) + sum(n - 1 for n in claimed_ids.values())
    _cleanup()
    return {
        "claimed": claimed,
        "dispatched": sum(messages.values()),
        "per_second": claimed / seconds,
        "seconds": seconds,
        "duplicates": duplicates,
    }


def _drain(app: object) -> Counter:
    """Every task message in the queue, counted per target id (and removed)."""
    counts: Counter = Counter()
    with app.connection_for_read() as conn:  # type: ignore[attr-defined]
        queue = conn.SimpleQueue("celery")
        while True:
            try:
                message = queue.get(timeout=1)
            except queue.Empty:
                break
            if message.headers.get("task") == "videos.publish_target":
                counts[message.payload[0][0]] += 1
            message.ack()
        queue.close()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--platforms", type=int, default=1, help="platform targets per publication")
    parser.add_argument("--workers", type=int, default=4, help="claim loops running at once")
    parser.add_argument("--batch", type=int, default=500, help="publications one tick claims")
    args = parser.parse_args()
    _setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    options = {"rows": args.rows, "platforms": args.platforms, "workers": args.workers, "batch": args.batch}
    ours = _run("ours", **options)
    reference = _run("reference", **options)
    print(f"{args.rows} due publications x {args.platforms} platform(s), {args.workers} claim loops at once,", end=" ")
    print(f"batches of {args.batch}")
    print(f"{'':44} {'claimed':>8} {'tasks':>7} {'pub/s':>9} {'seconds':>8} {'duplicates':>10}")
    for label, row in (
        ("ours: claim + dispatch to the broker", ours),
        ("reference: raw SQL SKIP LOCKED, claim only", reference),
    ):
        figures = f"{row['claimed']:>8} {row['dispatched']:>7} {row['per_second']:>9.0f} {row['seconds']:>8.2f}"
        print(f"{label:44} {figures} {row['duplicates']:>10}")


if __name__ == "__main__":
    main()
