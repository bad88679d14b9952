"""The creator dashboard at scale: one creator with 100,000 videos and a long engagement history.

Builds (once, reused when present; --rebuild to start again) a PostgreSQL data set of its own:
a creator with 100,000 videos and 2,000 other people with 20,000 more, and VIDEO_DAILY_STATS rows
over the last 400 days (about 600,000 the creator's, 400,000 the others'), spread over our
player and the five platforms. Then requests the dashboard in-process (Django's test client, no
network in the figures) and prints p50 / p95 in milliseconds and the number of SQL queries, beside
the reference measured in the same run: the same figures summed straight from the per-video daily
rows (`creator_dashboard_recount`, what the dashboard would cost without the kept per-owner-day and
per-video sums). The two must agree, or the bench stops.

Run from the project root, against a migrated database of its own:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/vc_bench_engagement \
    .venv/bin/python bench/creator_dashboard.py [--rounds 30] [--rebuild]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CREATOR = "bench-dashboard@bench.local"
CREATOR_VIDEOS = 100_000
OTHERS = 2_000
OTHER_VIDEOS = 20_000
DAYS = 400
CREATOR_ROWS_PER_DAY = 1_500
OTHER_ROWS_PER_DAY = 1_000
PLATFORMS_SQL = "(ARRAY['player','youtube','tiktok','instagram','facebook','x'])[1 + mod(k, 6)]"


def _setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vc_bench_engagement")
    os.environ.setdefault("CACHE_URL", "locmemcache://bench-creator-dashboard")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def _build(cursor, *, rebuild: bool) -> bool:
    """Create the data set unless it is there already; whether it was built."""
    cursor.execute("SELECT id FROM teams_user WHERE email = %s", [CREATOR])
    row = cursor.fetchone()
    if row and not rebuild:
        cursor.execute("SELECT count(*) FROM videos_video WHERE owner_id = %s", [row[0]])
        videos = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM insights_videodailystat WHERE owner_id = %s", [row[0]])
        if videos >= CREATOR_VIDEOS and cursor.fetchone()[0] > 0:
            return False
    started = time.perf_counter()
    for table in ("insights_videodailystat", "insights_creatordailystat", "insights_videoengagementtotal"):
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
    cursor.execute("DELETE FROM videos_video WHERE owner_id IN (SELECT id FROM teams_user WHERE email LIKE %s)",
                   ["%@bench.local"])  # fmt: skip
    cursor.execute("DELETE FROM teams_user WHERE email LIKE %s", ["%@bench.local"])
    user_columns = "password, is_superuser, email, display_name, language, time_zone, is_staff, is_active, date_joined"
    cursor.execute(
        f"INSERT INTO teams_user ({user_columns})"  # noqa: S608 (fixed SQL)
        " SELECT '!', false, CASE WHEN n = 0 THEN %s ELSE 'dash' || n || '@bench.local' END, 'Person ' || n,"
        " 'en', 'UTC', false, true, now() - interval '500 days' FROM generate_series(0, %s) n",
        [CREATOR, OTHERS],
    )
    cursor.execute("SELECT id FROM teams_user WHERE email = %s", [CREATOR])
    creator = cursor.fetchone()[0]
    cursor.execute("SELECT min(id) FROM teams_user WHERE email LIKE 'dash%%@bench.local'")
    first_other = cursor.fetchone()[0]
    video_columns = (
        "title, source, status, status_message, customization, file, thumbnail, duration_seconds, size_bytes,"
        " created_at, updated_at, owner_id, team_id"
    )
    cursor.execute(
        f"INSERT INTO videos_video ({video_columns})"  # noqa: S608 (fixed SQL)
        " SELECT 'Video ' || n, 'template', 'ready', '', '{}', '', '', 30, 1000000,"
        " now() - n * interval '5 minutes', now(), CASE WHEN n <= %s THEN %s ELSE %s + mod(n, %s) END, NULL"
        " FROM generate_series(1, %s) n",
        [CREATOR_VIDEOS, creator, first_other, OTHERS, CREATOR_VIDEOS + OTHER_VIDEOS],
    )
    cursor.execute("SELECT min(id) FROM videos_video WHERE owner_id = %s", [creator])
    first_video = cursor.fetchone()[0]
    # Each day, some of the creator's videos are watched (a spread of them), and some of the others'.
    for rows_per_day, offset, count in (
        (CREATOR_ROWS_PER_DAY, 0, CREATOR_VIDEOS),
        (OTHER_ROWS_PER_DAY, CREATOR_VIDEOS, OTHER_VIDEOS),
    ):
        cursor.execute(
            "INSERT INTO insights_videodailystat (video_id, owner_id, platform, day, views, likes, shares,"  # noqa: S608
            " watch_seconds)"
            f" SELECT v.id, v.owner_id, {PLATFORMS_SQL}, current_date - d, 1 + mod(k * 13 + d, 200),"
            " mod(k * 7 + d, 20), mod(k + d, 5), CASE WHEN mod(k, 6) = 0 THEN 20 * (1 + mod(k + d, 200)) ELSE 0 END"
            " FROM generate_series(0, %s) d CROSS JOIN generate_series(1, %s) k"
            " JOIN videos_video v ON v.id = %s + %s + mod(k * 7919 + d * 104729, %s)"
            " ON CONFLICT DO NOTHING",
            [DAYS - 1, rows_per_day, first_video, offset, count],
        )
    cursor.execute("ANALYZE insights_videodailystat")
    cursor.execute("ANALYZE videos_video")
    print(f"built the data set in {time.perf_counter() - started:.0f} s")
    return True


class QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    _setup()
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from insights.engagement_models import CreatorDailyStat, VideoDailyStat
    from insights.engagement_selectors import creator_dashboard_for_user, creator_dashboard_recount
    from insights.services.engagement import engagement_rollups_rebuild
    from teams.models import User
    from videos.models import Video

    with connection.cursor() as cursor:
        _build(cursor, rebuild=args.rebuild)
    creator = User.objects.get(email=CREATOR)
    if not CreatorDailyStat.objects.filter(owner=creator).exists():
        started = time.perf_counter()
        engagement_rollups_rebuild()  # the kept sums, set-based, as a bulk load or a repair makes them
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE insights_creatordailystat")
            cursor.execute("ANALYZE insights_videoengagementtotal")
        print(f"rebuilt the kept sums in {time.perf_counter() - started:.1f} s")
    mine = VideoDailyStat.objects.filter(owner=creator).count()
    everyone = VideoDailyStat.objects.count()
    videos = Video.objects.count()
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    print(
        f"data: {videos:,} videos ({CREATOR_VIDEOS:,} the creator's), {everyone:,} daily rows ({mine:,} the creator's)"
    )
    print()

    client = Client()
    client.force_login(creator)
    today = timezone.localdate()

    def page() -> None:
        response = client.get("/dashboard/")
        assert response.status_code == 200

    def ours() -> None:
        creator_dashboard_for_user(user=creator, today=today)

    def reference() -> None:
        creator_dashboard_recount(user=creator, today=today)

    ours_board = creator_dashboard_for_user(user=creator, today=today)
    reference_board = creator_dashboard_recount(user=creator, today=today)
    assert ours_board.total == reference_board.total and ours_board.days == reference_board.days
    assert ours_board.top_videos == reference_board.top_videos

    print("| what | rounds | p50 ms | p95 ms | SQL queries |")
    print("|---|---:|---:|---:|---:|")
    for label, function in (
        ("dashboard page (GET /dashboard/, whole request)", page),
        ("dashboard figures (creator_dashboard_for_user)", ours),
        ("reference: the same figures summed from the per-video daily rows", reference),
    ):
        function()  # warm up
        counter = QueryCounter()
        # Not CaptureQueriesContext: a request's start empties the list it reads.
        with connection.execute_wrapper(counter):
            function()
        samples = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            function()
            samples.append((time.perf_counter() - start) * 1000)
        p50, p95 = _percentiles(samples)
        print(f"| {label} | {args.rounds} | {p50:.1f} | {p95:.1f} | {counter.count} |")
    print()
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
