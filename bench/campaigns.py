"""Lifecycle e-mail at scale: one evaluation pass of the nine campaigns over 10,000 and 100,000 people.

Builds (once, reused when present) one PostgreSQL data set per size: people who signed up over the
last 400 days in twelve time zones and nine languages, a third of them with 0-12 videos, half with
sign-in events, 5 % on Pro, 4 % opted out of tips. Then runs `campaigns_evaluate` (every active
campaign's claim: one INSERT ... SELECT ... ON CONFLICT DO NOTHING each) inside a transaction that is
rolled back, so every round claims the same people, and prints the median wall time of the rounds
and the number of SQL queries of one pass. The query count does not depend on the number of people.

The reference, measured in the same run: the obvious way, a Python loop asking each person's
conditions one by one (videos, first video, last sign-in, plan through billing.limits, opt-out,
already sent) for each campaign, timed on a sample and extrapolated linearly (labelled as such).

Run from the project root (each size in its own database, created when missing):
  .venv/bin/python bench/campaigns.py [--database-url postgres://postgres@127.0.0.1:5432/vc_bench_campaigns]
                                      [--rounds 3] [--sample 1000] [--rebuild]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10_000, 100_000)
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
ZONES = [
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Australia/Sydney",
    "Africa/Lagos",
]
LANGUAGES = ["en", "es", "fr", "de", "pt", "ja", "ko", "zh-hans", "hi"]


def _database_for(base_url: str, size: int) -> str:
    return base_url if size == max(SIZES) else f"{base_url}_{size // 1000}k"


def _ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def _setup(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = database_url
    os.environ["CACHE_URL"] = "locmemcache://bench-campaigns"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _build(cursor, *, size: int, rebuild: bool) -> None:
    cursor.execute("SELECT count(*) FROM teams_user WHERE email LIKE '%%@bench.local'")
    if cursor.fetchone()[0] == size and not rebuild:
        return
    for table in ["growth_campaignsend", "growth_emailoptout", "insights_event", "billing_subscription"]:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
    cursor.execute("DELETE FROM videos_video")
    cursor.execute("DELETE FROM teams_user WHERE email LIKE '%%@bench.local'")
    cursor.execute(
        "INSERT INTO teams_user (password, is_superuser, email, display_name, language, time_zone, is_staff,"
        " is_active, date_joined)"
        " SELECT '!', false, 'p' || n || '@bench.local', 'Person ' || n, (%s::text[])[1 + mod(n, 9)],"
        " (%s::text[])[1 + mod(n, 12)], false, true, %s - (n * 400.0 / %s) * interval '1 day'"
        " FROM generate_series(1, %s) n",
        [LANGUAGES, ZONES, NOW, size, size],
    )
    people = (
        "SELECT id, date_joined, row_number() OVER (ORDER BY id) AS n FROM teams_user WHERE email LIKE '%%@bench.local'"
    )
    cursor.execute(
        "INSERT INTO videos_video (owner_id, title, source, status, status_message, customization, file, thumbnail,"  # noqa: S608 (fixed SQL)
        " created_at, updated_at)"
        f" SELECT p.id, 'Video ' || k, 'template', 'ready', '', '{{}}', '', '', t, t FROM ({people}) p,"
        " generate_series(1, mod(p.n, 13)) k,"
        " LATERAL (SELECT LEAST(p.date_joined + (k * 1.5) * interval '1 day', %s) AS t) times"
        " WHERE mod(p.n, 3) = 0",
        [NOW],
    )
    cursor.execute(
        "INSERT INTO insights_event (name, actor_id, subject_id, payload, is_public, occurred_at)"  # noqa: S608
        " SELECT 'user.logged_in', p.id, '', '{}', false,"
        " LEAST(p.date_joined + mod(p.n, 40) * interval '1 day', %s)"
        f" FROM ({people}) p WHERE mod(p.n, 2) = 0",
        [NOW],
    )
    cursor.execute(
        "INSERT INTO billing_subscription (user_id, plan_id, interval, status, provider, provider_subscription_id,"  # noqa: S608
        " billing_anchor, current_period_start, current_period_end, cancel_at_period_end, created_at, updated_at)"
        " SELECT p.id, (SELECT id FROM billing_plan WHERE code = 'pro'), 'month', 'active', 'manual', '',"
        f" %s, %s, %s + interval '20 days', false, %s, %s FROM ({people}) p WHERE mod(p.n, 20) = 0",
        [NOW, NOW, NOW, NOW, NOW],
    )
    cursor.execute(
        "INSERT INTO growth_emailoptout (user_id, category, created_at)"  # noqa: S608
        f" SELECT p.id, 'tips', %s FROM ({people}) p WHERE mod(p.n, 25) = 0",
        [NOW],
    )
    cursor.execute("ANALYZE")


def _naive_evaluate(users: list, now: datetime) -> int:
    """The reference: each person's conditions asked one by one, for every campaign."""
    from billing import limits
    from growth.campaign_audiences import PRO_UPGRADE_VIDEOS, campaign_period
    from growth.campaign_models import Campaign, CampaignSend, EmailOptOut, Trigger
    from growth.campaign_segments import time_zones_in_sending_window
    from insights.models import Event
    from videos.models import Video

    open_zones = set(time_zones_in_sending_window(now))
    catch_up = timedelta(days=2)
    found = 0
    campaigns = list(Campaign.objects.filter(status=Campaign.Status.ACTIVE).exclude(trigger=Trigger.ONE_OFF))
    for user in users:
        if not user.is_active or user.time_zone not in open_zones:
            continue
        videos = Video.objects.filter(owner=user)
        count = videos.count()
        first = videos.order_by("created_at").values_list("created_at", flat=True).first()
        login = Event.objects.filter(actor=user, name="user.logged_in").order_by("-occurred_at").first()
        last_active = max(
            filter(
                None, [user.date_joined, first and videos.latest("created_at").created_at, login and login.occurred_at]
            )
        )
        on_pro = not limits.plan_for(user).is_free
        for campaign in campaigns:
            days = timedelta(days=campaign.delay_days)
            joined_window = now - days - catch_up < user.date_joined <= now - days
            match campaign.trigger:
                case Trigger.WELCOME:
                    wanted = joined_window
                case Trigger.FIRST_VIDEO_TIPS | Trigger.ACTIVATION_NUDGE:
                    wanted = joined_window and count == 0
                case Trigger.TEMPLATE_SHOWCASE:
                    wanted = joined_window and count < 3
                case Trigger.FEATURE_DISCOVERY:
                    wanted = first is not None and now - days - catch_up < first <= now - days
                case Trigger.PRO_UPGRADE:
                    wanted = count >= PRO_UPGRADE_VIDEOS and not on_pro
                case Trigger.WE_MISS_YOU | Trigger.FEEDBACK_REQUEST:
                    wanted = now - days - catch_up < last_active <= now - days
                case _:
                    wanted = user.date_joined <= now - days
            if not wanted:
                continue
            if EmailOptOut.objects.filter(user=user, category=campaign.category).exists():
                continue
            if CampaignSend.objects.filter(
                campaign=campaign, user=user, period=campaign_period(campaign, now)
            ).exists():
                continue
            found += 1
    return found


def measure(*, size: int, rounds: int, sample: int, rebuild: bool, naive: bool) -> dict:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from growth.services.campaigns import campaigns_evaluate
    from teams.models import User

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        _build(cursor, size=size, rebuild=rebuild)
    built_in = time.perf_counter() - started
    timings, claimed, queries = [], 0, 0
    for _round in range(rounds):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                claimed = sum(campaigns_evaluate(now=NOW).values())
                timings.append(time.perf_counter() - began)
            queries = len(captured.captured_queries)
            transaction.set_rollback(True)  # the next round claims the same people
    result = {
        "size": size,
        "seconds": statistics.median(timings),
        "queries": queries,
        "claimed": claimed,
        "build_seconds": built_in,
    }
    if naive:
        users = list(User.objects.filter(email__endswith="@bench.local").order_by("?")[:sample])
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            _naive_evaluate(users, NOW)
            result["naive_sample_seconds"] = time.perf_counter() - began
        result["naive_sample_queries"] = len(captured.captured_queries)
        result["naive_sample"] = sample
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/vc_bench_campaigns")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=1000, help="people in the naive loop's sample")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--child-size", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child_size:  # one size, in its own process and database
        _setup(args.database_url)
        result = measure(
            size=args.child_size,
            rounds=args.rounds,
            sample=args.sample,
            rebuild=args.rebuild,
            naive=args.child_size == min(SIZES),
        )
        print(json.dumps(result))
        return

    results = {}
    for size in SIZES:
        url = _database_for(args.database_url, size)
        _ensure_database(url)
        command = [sys.executable, __file__, "--database-url", url, "--rounds", str(args.rounds)]
        command += ["--sample", str(args.sample), "--child-size", str(size)] + (["--rebuild"] if args.rebuild else [])
        output = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT).stdout  # noqa: S603
        results[size] = json.loads(output.strip().splitlines()[-1])

    load = os.getloadavg()
    small, large = results[min(SIZES)], results[max(SIZES)]
    per_person = small["naive_sample_seconds"] / small["naive_sample"]
    per_person_queries = small["naive_sample_queries"] / small["naive_sample"]
    print(f"Lifecycle e-mail: one evaluation pass of the nine campaigns (PostgreSQL, median of {args.rounds})")
    print(f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 CPUs, shared)")
    print()
    print(f"{'':52} {'10,000 people':>16} {'100,000 people':>16}")
    print(f"{'set-based evaluation (ours): seconds':52} {small['seconds']:>16.3f} {large['seconds']:>16.3f}")
    print(f"{'set-based evaluation (ours): SQL queries':52} {small['queries']:>16} {large['queries']:>16}")
    print(f"{'people claimed in the pass':52} {small['claimed']:>16,} {large['claimed']:>16,}")
    naive_small, naive_large = per_person * 10_000, per_person * 100_000
    print(f"{'reference: per-person Python loop, seconds *':52} {naive_small:>16.1f} {naive_large:>16.1f}")
    print(
        f"{'reference: per-person Python loop, SQL queries *':52}"
        f" {per_person_queries * 10_000:>16,.0f} {per_person_queries * 100_000:>16,.0f}"
    )
    print()
    print(
        f"* extrapolated linearly from a random sample of {small['naive_sample']:,} people of the 10,000 data set"
        f" ({small['naive_sample_seconds']:.2f} s, {small['naive_sample_queries']:,} queries)."
    )
    verdict = "under" if large["seconds"] < 5 else "OVER"
    same = "the same" if small["queries"] == large["queries"] else "DIFFERENT"
    print(f"Target: under 5 s at 100,000 people: {verdict}. Query count at both sizes: {same}.")


if __name__ == "__main__":
    main()
