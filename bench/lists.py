"""List speed at scale: every list page, API list and admin changelist on 100,000 videos.

Builds (once, reused when present) a PostgreSQL data set: one creator with 100,000 personal videos
and 20,000 more in an agency team, 30,000 videos of 20,000 other people, a version per video,
1,000,000 analytics events, 200,000 e-mails in the outbox, 100,000 payments, 50,000 notifications,
5,000 comments on one busy video, 2,000 teams, 500 members and 5,000 pending invitations of the
agency. Then requests each route in-process through Django's test client (no network in the
figures) and prints p50 / p95 in milliseconds, the median time spent in SQL (as the database
driver saw it), the CPU time of the Django process (which waiting for a busy machine's CPU does not
inflate as much as the wall clock) and the number of SQL queries of one request. Run it on a quiet
machine: on a shared one, compare a route with the reference rows of the same run.

The reference, measured in the same run: the same list pages and API list for an account with no
videos at all (the cost of the framework, session, template and serializer around an empty list).

Run from the project root, against a database of its own (created if missing is up to you):
  .venv/bin/python bench/lists.py [--database-url postgres://postgres@127.0.0.1:5432/vc_bench]
                                  [--rounds 30] [--rebuild]
"""

import argparse
import gc
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent

CREATOR_VIDEOS = 100_000
TEAM_VIDEOS = 20_000
OTHER_VIDEOS = 30_000
OTHER_USERS = 20_000
TEAMS = 2_000
EVENTS = 1_000_000
EMAILS = 200_000
PAYMENTS = 100_000
CREATOR_PAYMENTS = 2_000
NOTIFICATIONS = 50_000
COMMENTS = 5_000
MEMBERS = 500
INVITATIONS = 5_000
DEEP_POSITION = 30_000  # "page 1500" at 20 a page

CREATOR = "bench-creator@bench.local"
EMPTY = "bench-empty@bench.local"
STAFF = "bench-staff@bench.local"
AGENCY = "bench-agency"


def _setup(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("CACHE_URL", "locmemcache://bench-lists")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    # The test client's host. Not setup_test_environment(): it instruments every template render
    # (a signal and a copy of each context for the test client), a cost production never pays.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


# Titles like the starter templates' (one in seven says "Tips"), numbered so each is distinct.
TITLE_SQL = (
    "(ARRAY['Instagram Reel - Product Showcase','TikTok - Tutorial Quick Tips','YouTube Short - Quote Animation',"
    "'Educational Explainer','Animated Statistics','Product Demo in 60 Seconds','Brand Story'])[1 + mod(n, 7)]"
    " || ' ' || n"
)
# Mostly ready; some drafts, failures, renders and published ones (a filter each).
STATUS_SQL = (
    "(ARRAY['ready','ready','ready','ready','ready','ready','ready','draft','failed','published'])[1 + mod(n, 10)]"
)


def _build(cursor, *, rebuild: bool) -> bool:
    """Create the data set unless it is there already; whether it was built."""
    cursor.execute("SELECT id FROM teams_user WHERE email = %s", [CREATOR])
    row = cursor.fetchone()
    if row and not rebuild:
        cursor.execute("SELECT count(*) FROM videos_video WHERE owner_id = %s", [row[0]])
        if cursor.fetchone()[0] >= CREATOR_VIDEOS + TEAM_VIDEOS:
            return False
    started = time.perf_counter()
    for table in [
        "insights_event",
        "teams_outboundemail",
        "billing_payment",
        "teams_notification",
        "teams_comment",
        "teams_invitation",
        "videos_videoversion",
        "videos_video",
        "teams_membership",
        "teams_team",
    ]:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
    cursor.execute("DELETE FROM teams_user WHERE email LIKE '%%@bench.local'")
    user_columns = "password, is_superuser, email, display_name, language, time_zone, is_staff, is_active, date_joined"
    cursor.execute(
        f"INSERT INTO teams_user ({user_columns}) VALUES"  # noqa: S608
        " ('!', false, %s, 'Bench Creator', 'en', 'UTC', false, true, now()),"
        " ('!', false, %s, 'Bench Empty', 'en', 'UTC', false, true, now()),"
        " ('!', true, %s, 'Bench Staff', 'en', 'UTC', true, true, now())",
        [CREATOR, EMPTY, STAFF],
    )
    cursor.execute(
        f"INSERT INTO teams_user ({user_columns})"  # noqa: S608
        " SELECT '!', false, 'user' || n || '@bench.local', 'Person ' || n, 'en', 'UTC', false, true,"
        " now() - n * interval '17 minutes' FROM generate_series(1, %s) n",
        [OTHER_USERS],
    )
    cursor.execute("SELECT id FROM teams_user WHERE email = %s", [CREATOR])
    creator = cursor.fetchone()[0]
    cursor.execute("SELECT min(id), max(id) FROM teams_user WHERE email LIKE 'user%%@bench.local'")
    low, high = cursor.fetchone()
    spread = high - low + 1
    cursor.execute(
        "INSERT INTO teams_team (name, slug, language, created_at, created_by_id)"
        " SELECT CASE WHEN n = 1 THEN 'Bench Agency' ELSE 'Team ' || n END,"
        " CASE WHEN n = 1 THEN %s ELSE 'bench-team-' || n END, 'en', now() - n * interval '3 hours',"
        " CASE WHEN n = 1 THEN %s ELSE %s + n END FROM generate_series(1, %s) n",
        [AGENCY, creator, low, TEAMS],
    )
    cursor.execute("SELECT id FROM teams_team WHERE slug = %s", [AGENCY])
    agency = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO teams_membership (role, created_at, user_id, team_id)"
        " SELECT 'owner', t.created_at, t.created_by_id, t.id FROM teams_team t WHERE t.slug LIKE 'bench-%%'"
    )
    cursor.execute(
        "INSERT INTO teams_membership (role, created_at, user_id, team_id)"
        " SELECT (ARRAY['admin','editor','viewer'])[1 + mod(n, 3)], now() - n * interval '1 hour', %s + 5000 + n, %s"
        " FROM generate_series(1, %s) n",
        [low, agency, MEMBERS],
    )
    cursor.execute(
        "INSERT INTO teams_invitation (email, role, token_hash, created_at, sent_at, send_count, expires_at, team_id,"
        " invited_by_id) SELECT 'invitee' || n || '@example.com', 'viewer', md5(n::text),"
        " now() - n * interval '1 minute',"
        " now() - n * interval '1 minute', 1, now() + interval '7 days', %s, %s FROM generate_series(1, %s) n",
        [agency, creator, INVITATIONS],
    )
    video_columns = (
        "title, source, status, status_message, customization, file, thumbnail, duration_seconds, size_bytes,"
        " created_at, updated_at, owner_id, team_id"
    )
    # Three videos to a timestamp: keyset pagination must page through ties without a skip.
    video_values = (
        f" SELECT {TITLE_SQL}, 'template', {STATUS_SQL}, '', '{{}}', '', '', 30, 1000000,"  # noqa: S608 (fixed SQL)
        " now() - (n / 3) * interval '5 minutes', now(), %s, %s FROM generate_series(%s, %s) n"
    )
    cursor.execute(
        f"INSERT INTO videos_video ({video_columns}) {video_values}",
        [creator, None, 1, CREATOR_VIDEOS],
    )
    cursor.execute(
        f"INSERT INTO videos_video ({video_columns}) {video_values}",
        [creator, agency, CREATOR_VIDEOS + 1, CREATOR_VIDEOS + TEAM_VIDEOS],
    )
    cursor.execute(
        f"INSERT INTO videos_video ({video_columns})"  # noqa: S608
        f" SELECT {TITLE_SQL}, 'upload', {STATUS_SQL}, '', '{{}}', '', '', 30, 1000000,"
        " now() - n * interval '7 minutes', now(), %s + mod(n, %s), NULL FROM generate_series(1, %s) n",
        [low, spread, OTHER_VIDEOS],
    )
    cursor.execute(
        "INSERT INTO videos_videoversion (number, status, progress, error_message, file, thumbnail, size_bytes,"
        " duration_seconds, change_description, created_at, created_by_id, video_id, claim_token)"
        " SELECT 1, 'ready', 100, '', '', '', 1000000, 30, '', v.created_at, v.owner_id, v.id, ''"
        " FROM videos_video v"
    )
    cursor.execute("SELECT id FROM videos_video WHERE team_id = %s ORDER BY created_at DESC, id DESC LIMIT 1", [agency])
    busy = cursor.fetchone()[0]
    cursor.execute(
        "INSERT INTO teams_comment (body, timestamp_seconds, created_at, author_id, video_id)"
        " SELECT 'Comment ' || n || ' on the cut', mod(n, 30), now() - n * interval '1 minute', %s, %s"
        " FROM generate_series(1, %s) n",
        [creator, busy, COMMENTS],
    )
    cursor.execute(
        "INSERT INTO teams_notification (kind, params, target_url, created_at, read_at, recipient_id)"
        " SELECT 'mention', '{}', '/videos/', now() - n * interval '2 minutes',"
        " CASE WHEN mod(n, 3) = 0 THEN NULL ELSE now() END, %s FROM generate_series(1, %s) n",
        [creator, NOTIFICATIONS],
    )
    payment_values = (
        "SELECT 'Pro monthly', 1200, 0, 0, 1200, 'usd', (ARRAY['paid','paid','paid','failed','open'])[1 + mod(n, 5)],"
        " 'manual', %s || n, 0, now() - n * interval '9 minutes', (SELECT max(id) FROM billing_plan),"
        " %s FROM generate_series(1, %s) n"
    )
    payment_columns = (
        "description, subtotal_cents, discount_cents, credit_cents, amount_cents, currency, status, provider,"
        " provider_invoice_id, attempts, created_at, plan_id, user_id"
    )
    cursor.execute(
        f"INSERT INTO billing_payment ({payment_columns}) {payment_values}", ["mine_", creator, CREATOR_PAYMENTS]
    )
    cursor.execute(
        f"INSERT INTO billing_payment ({payment_columns}) " + payment_values.replace("%s FROM", "%s + mod(n, %s) FROM"),
        ["in_", low, spread, PAYMENTS - CREATOR_PAYMENTS],
    )
    cursor.execute(
        'INSERT INTO teams_outboundemail ("to", from_email, subject, kind, status, attempts, last_error, created_at,'
        " sent_at, sealed_content) SELECT jsonb_build_array('user' || n || '@bench.local'), 'hello@videocreator.local',"
        " (ARRAY['Welcome to Video Creator','Your export is ready','Tips for your first video'])[1 + mod(n, 3)],"
        " (ARRAY['welcome','export_ready','first_video_tips'])[1 + mod(n, 3)], 'sent', 1, '',"
        " now() - n * interval '1 minute', now() - n * interval '1 minute', '' FROM generate_series(1, %s) n",
        [EMAILS],
    )
    from insights.event_names import EventName

    names = [name.value for name in EventName]
    cursor.execute(
        "INSERT INTO insights_event (name, subject_id, payload, is_public, occurred_at, actor_id)"
        " SELECT (%s::text[])[1 + mod(n, %s)], mod(n, 150000)::text, '{}', mod(n, 4) = 0,"
        " now() - n * interval '20 seconds',"
        " %s + mod(n, %s) FROM generate_series(1, %s) n",
        [names, len(names), low, spread, EVENTS],
    )
    print(f"built the data set in {time.perf_counter() - started:.0f} s", flush=True)
    return True


def _deep_url(base: str, *, owner_id: int, team_id: int | None, position: int = DEEP_POSITION) -> str:
    """The list from `position` on: a keyset cursor where the code has one, else its page number."""
    try:
        from config.pagination import cursor_for  # the keyset pagination (after)
    except ImportError:
        return f"{base}?page={position // 20}"
    from videos.models import Video

    videos = Video.objects.filter(owner_id=owner_id, team_id=team_id) if team_id else None
    if videos is None:
        videos = Video.objects.filter(owner_id=owner_id, team__isnull=True)
    before = videos.order_by("-created_at", "-pk")[position - 1]
    return f"{base}?cursor={cursor_for(before, ordering=['-created_at', '-pk'])}"


@dataclass
class Figures:
    p50: float
    p95: float
    worst: float
    sql: float
    cpu: float
    queries: int
    status: int


def _measure(client, url: str, *, rounds: int) -> Figures:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings, sql, cpu = [], [], []
    queries = 0
    status = 0
    for index in range(rounds + 2):
        cache.clear()  # the API's rate limit must not refuse the bench
        connection.queries_log.clear()  # it keeps 9,000 queries, and the capture counts from its end
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed, elapsed_cpu = time.perf_counter() - started, time.process_time() - started_cpu
        status = response.status_code
        queries = len(captured.captured_queries)
        if index >= 2:  # two warm-up requests
            timings.append(elapsed * 1000)
            cpu.append(elapsed_cpu * 1000)
            sql.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return Figures(
        statistics.median(timings), p95, timings[-1], statistics.median(sql), statistics.median(cpu), queries, status
    )


def _executed_sql_ms(client, url: str, *, repeats: int = 3) -> float:
    """The database's own time for one request's queries (planning plus execution, as EXPLAIN ANALYZE
    reports them; the median of a few): the figure a busy machine inflates least."""
    import json

    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    totals = []
    for _ in range(repeats):
        total = 0.0
        for query in captured.captured_queries:
            if not query["sql"].startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
                plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            total += plan[0]["Planning Time"] + plan[0]["Execution Time"]
        totals.append(total)
    return statistics.median(totals)


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/vc_bench")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--only", default="", help="measure only routes whose name contains this")
    args = parser.parse_args()
    _setup(args.database_url)

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client

    from config.heap import FREEZE_AFTER_REQUESTS, freeze_after_warm_up, freeze_long_lived
    from teams.models import Team, User
    from teams.workspaces import SESSION_KEY
    from videos.models import Video

    call_command("migrate", verbosity=0)
    with transaction.atomic(), connection.cursor() as cursor:
        built = _build(cursor, rebuild=args.rebuild)
    if built:
        # As autovacuum leaves a table at rest: the visibility map set, so index-only scans read no rows.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")

    freeze_after_warm_up()  # as config.wsgi does once the application is loaded
    creator = User.objects.get(email=CREATOR)
    agency = Team.objects.get(slug=AGENCY)
    busy = Video.objects.filter(team=agency).order_by("-created_at", "-pk").first()
    personal, team_client, empty, staff = Client(), Client(), Client(), Client()
    personal.force_login(creator)
    team_client.force_login(creator)
    session = team_client.session
    session[SESSION_KEY] = agency.pk
    session.save()
    empty.force_login(User.objects.get(email=EMPTY))
    staff.force_login(User.objects.get(email=STAFF))

    # The ranked search's second page: a cursor that carries the rank tier (where the code ranks).
    next_link = personal.get("/api/v1/videos/?search=tips").json().get("next") or ""
    ranked_cursor = parse_qs(urlsplit(next_link).query).get("cursor", [""])[0]
    routes = [
        ("page", "/videos/ first page", personal, "/videos/"),
        ("page", "/videos/ deep (30,000th)", personal, _deep_url("/videos/", owner_id=creator.pk, team_id=None)),
        ("page", "/videos/?q=tips", personal, "/videos/?q=tips"),
        ("page", "/videos/?q=tips next page", personal, f"/videos/?q=tips&cursor={ranked_cursor}"),
        ("page", "/videos/?q=rare title", personal, "/videos/?q=Explainer+99999"),
        ("page", "/videos/?status=failed", personal, "/videos/?status=failed"),
        ("page", "/videos/?status=draft&q=tips", personal, "/videos/?status=draft&q=tips"),
        ("page", "/videos/ team workspace", team_client, "/videos/"),
        (
            "page",
            "/videos/ team last page",
            team_client,
            _deep_url("/videos/", owner_id=creator.pk, team_id=agency.pk, position=TEAM_VIDEOS),
        ),
        ("page", "/videos/?status=ready team", team_client, "/videos/?status=ready"),
        ("page", "/templates/?sort=popular", personal, "/templates/?sort=popular"),
        ("page", "comments on a busy video", team_client, f"/videos/{busy.pk}/comments/"),
        ("page", "/notifications/", personal, "/notifications/"),
        ("page", "team page (members, invitations)", personal, f"/teams/{AGENCY}/"),
        ("page", "/billing/ (payments)", personal, "/billing/"),
        ("api", "/api/v1/videos/ first", personal, "/api/v1/videos/"),
        ("api", "/api/v1/videos/ deep", personal, _deep_url("/api/v1/videos/", owner_id=creator.pk, team_id=None)),
        ("api", "/api/v1/videos/?search=tips", personal, "/api/v1/videos/?search=tips"),
        ("api", "/api/v1/videos/?search=tips next", personal, f"/api/v1/videos/?search=tips&cursor={ranked_cursor}"),
        ("api", "/api/v1/videos/?status=failed", personal, "/api/v1/videos/?status=failed"),
        ("api", "/api/v1/videos/?team=agency", personal, f"/api/v1/videos/?team={AGENCY}"),
        ("api", "/api/v1/notifications/", personal, "/api/v1/notifications/"),
        ("api", "/api/v1/billing/payments/", personal, "/api/v1/billing/payments/"),
        ("api", "/api/v1/teams/agency/members/", personal, f"/api/v1/teams/{AGENCY}/members/"),
        ("admin", "admin videos", staff, "/admin/videos/video/"),
        ("admin", "admin videos ?q=tips", staff, "/admin/videos/video/?q=tips"),
        ("admin", "admin videos ?status=failed", staff, "/admin/videos/video/?status__exact=failed"),
        ("admin", "admin versions", staff, "/admin/videos/videoversion/"),
        ("admin", "admin versions ?q=tips", staff, "/admin/videos/videoversion/?q=tips"),
        ("admin", "admin users", staff, "/admin/teams/user/"),
        ("admin", "admin users ?q=user123", staff, "/admin/teams/user/?q=user123"),
        ("admin", "admin teams", staff, "/admin/teams/team/"),
        ("admin", "admin teams ?q=team 12", staff, "/admin/teams/team/?q=team+12"),
        ("admin", "admin events", staff, "/admin/insights/event/"),
        ("admin", "admin events ?q=video.created", staff, "/admin/insights/event/?q=video.created"),
        ("admin", "admin outbox", staff, "/admin/teams/outboundemail/"),
        ("admin", "admin outbox ?q=welcome", staff, "/admin/teams/outboundemail/?q=welcome"),
        ("admin", "admin payments", staff, "/admin/billing/payment/"),
        ("admin", "admin payments ?q=user12@", staff, "/admin/billing/payment/?q=user12%40bench.local"),
        ("ref", "reference: /videos/ of an empty account", empty, "/videos/"),
        ("ref", "reference: /api/v1/videos/ of an empty account", empty, "/api/v1/videos/"),
    ]
    targets = {"page": 30, "api": 25, "admin": 100, "ref": None}
    routes = [route for route in routes if not args.only or args.only in route[1]]
    # Warm the process as a server's first requests do (templates, URL patterns, the admin's pages,
    # translation catalogs are loaded lazily), which also makes config.heap freeze after them, as
    # config.wsgi has it do in production.
    from django.core.cache import cache

    for _ in range(max(1, -(-FREEZE_AFTER_REQUESTS[-1] // max(1, len(routes))))):
        for _kind, _name, client, url in routes:
            cache.clear()
            client.get(url)
    print(
        f"{Video.objects.filter(owner=creator, team__isnull=True).count():,} personal videos of one creator,"
        f" {Video.objects.count():,} videos in all; {args.rounds} rounds per route; load average at the start"
        f" {_load()} (1, 5, 15 min) on {os.cpu_count()} CPUs\n"
    )
    print(
        "Each route twice in a row: with the process's long-lived objects frozen out of full garbage"
        " collections (config.heap, as config.wsgi runs it: the figures) and, just before, without (the"
        " collector as Python sets it up: 'unfrozen'). 'SQL exec' is the database's own planning and"
        " execution time of the request's queries (EXPLAIN ANALYZE, median of 3).\n"
    )
    print(
        "| route | p50 ms | p95 ms | max ms | unfrozen p95 | unfrozen max | SQL ms p50 | SQL exec ms"
        " | Python CPU ms p50 | queries | status | load 1m | target p95 |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for kind, name, client, url in routes:
        gc.unfreeze()
        before = _measure(client, url, rounds=args.rounds)
        freeze_long_lived()
        after = _measure(client, url, rounds=args.rounds)
        executed = _executed_sql_ms(client, url)
        target = targets[kind]
        mark = "" if target is None else (f"< {target} ok" if after.p95 < target else f"< {target} MISSED")
        print(
            f"| {name} | {after.p50:.1f} | {after.p95:.1f} | {after.worst:.1f} | {before.p95:.1f} | {before.worst:.1f}"
            f" | {after.sql:.1f} | {executed:.1f} | {after.cpu:.1f} | {after.queries} | {after.status}"
            f" | {os.getloadavg()[0]:.2f} | {mark} |",
            flush=True,
        )
    print(f"\nload average at the end {_load()}")


if __name__ == "__main__":
    main()
