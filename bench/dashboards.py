"""Dashboard and metric speed at scale: the admin BI dashboard, each metric, a one-day snapshot
rebuild and the funnel, on 10,000 users, 100,000 videos, 1,000,000 events and two years of
subscriptions and payments.

`build_dashboard_dataset(database_url)` builds that data set in PostgreSQL with set-based SQL
(generate_series; a few minutes), once: it is reused when present (`--rebuild` forces it). The
creator-dashboard bench can import it. Then the daily snapshots of the last seven months are
written (also reused), and each figure is timed beside a reference measured in the same run:

- the BI dashboard page (through Django's test client, as staff) reads the snapshots; its reference
  computes the same range's figures from the raw tables, without snapshots;
- each metric function (set-based SQL) beside a naive Python computation of the same figure — all
  rows fetched and counted in Python, or, where that is a query per person, a loop over a sample
  of 200 people, extrapolated and labelled so — and the two answers are checked to agree;
- a full snapshot rebuild of one day, with the time of each family.

Targets: BI dashboard < 300 ms, one-day rebuild < 10 s, funnel < 1 s. Run from the project root:
  .venv/bin/python bench/dashboards.py [--database-url postgres://postgres@127.0.0.1:5432/vc_bench_dash]
                                       [--rounds 20] [--rebuild]
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/vc_bench_dash"

USERS = 10_000
VIDEOS = 100_000
EVENTS = 1_000_000
DAYS = 730
STAFF = "bench-staff-dashboards@bench.local"
SAMPLE = 200


def _setup(database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("CACHE_URL", "locmemcache://bench-dashboards")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def _create_database(database_url: str) -> None:
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def build_dashboard_dataset(database_url: str = DEFAULT_URL, *, rebuild: bool = False) -> bool:
    """Create (or reuse) the dashboard data set in `database_url`; Django must be set up on it.
    Whether it was built now. Users `bench-dash-N@bench.local` joined evenly over two years; a quarter
    of them pay for Pro (a fifth of those annually, a tenth with a 20 % first-invoice coupon) for 1 to
    24 months; events are spread evenly over the two years, each by someone who had joined by then."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM teams_user WHERE email LIKE 'bench-dash-%%'")
        users = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM insights_event")
        if users >= USERS and cursor.fetchone()[0] >= EVENTS and not rebuild:
            return False
        started = time.perf_counter()
        for table in [
            "insights_dailysnapshot", "insights_event", "billing_payment", "billing_subscription",
            "videos_videoversion", "videos_video", "account_emailaddress",
        ]:  # fmt: skip
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (fixed names)
        cursor.execute("DELETE FROM teams_user WHERE email LIKE '%%@bench.local'")
        columns = "password, is_superuser, email, display_name, language, time_zone, is_staff, is_active, date_joined"
        cursor.execute(
            f"INSERT INTO teams_user ({columns}) VALUES ('!', true, %s, 'Bench Staff', 'en', 'UTC', true, true, now())",  # noqa: S608
            [STAFF],
        )
        # User k joined k steps ago (a step = two years / USERS).
        cursor.execute(
            f"INSERT INTO teams_user ({columns})"  # noqa: S608
            " SELECT '!', false, 'bench-dash-' || k || '@bench.local', 'Person ' || k, 'en', 'UTC', false, true,"
            " now() - k * (interval '1 day' * %s / %s) FROM generate_series(1, %s) k",
            [DAYS, USERS, USERS],
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_people AS SELECT id, date_joined,"
            " substring(email from 'bench-dash-([0-9]+)@')::int AS k FROM teams_user WHERE email LIKE 'bench-dash-%%'"
        )
        cursor.execute("CREATE INDEX ON bench_people (k)")
        # Seven in ten verify their address.
        cursor.execute(
            'INSERT INTO account_emailaddress (email, verified, "primary", user_id)'
            " SELECT u.email, mod(p.k, 10) < 7, true, p.id FROM bench_people p JOIN teams_user u ON u.id = p.id"
        )
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM videos_template")
        templates = cursor.fetchone()[0] or [None]
        # Videos by the 60 % who activate, from a day after they joined.
        cursor.execute(
            "INSERT INTO videos_video (title, source, status, status_message, customization, file, thumbnail,"
            " duration_seconds, size_bytes, created_at, updated_at, owner_id, team_id, template_id)"
            " SELECT 'Video ' || n, 'template', 'ready', '', '{}', '', '', 15 + mod(n, 8) * 15, 1000000,"
            " least(p.date_joined + interval '1 day' + mod(n, 90) * interval '1 day', now() - interval '1 minute'),"
            " now(), p.id, NULL, (%s::bigint[])[1 + mod(n, %s)]"
            " FROM generate_series(1, %s) n JOIN bench_people p ON p.k = 1 + mod(n::bigint * 7919, %s)"
            " WHERE mod(p.k, 10) < 6",
            [templates, len(templates), VIDEOS * 10 // 6 + 10, USERS],
        )
        cursor.execute(
            "DELETE FROM videos_video WHERE id IN (SELECT id FROM videos_video ORDER BY id OFFSET %s)", [VIDEOS]
        )
        # Events: event n is n steps ago (a step = two years / EVENTS), by someone who had joined by
        # then (user index ≥ n x USERS / EVENTS); four in ten are anonymous page views.
        from insights.event_names import EventName

        names = [
            EventName.USER_LOGGED_IN, EventName.VIDEO_CREATED, EventName.TEMPLATE_USED, EventName.VIDEO_RENDERED,
            EventName.EXPORT_READY, EventName.COMMENT_CREATED, EventName.PAGE_VIEWED, EventName.FEATURE_VOTED,
        ]  # fmt: skip
        ratio = EVENTS // USERS
        cursor.execute(
            "INSERT INTO insights_event (name, subject_id, payload, is_public, occurred_at, actor_id)"
            " SELECT CASE WHEN mod(n, 10) < 4 THEN 'page.viewed' ELSE (%s::text[])[1 + mod(n, %s)] END, '',"
            " CASE WHEN mod(n, 10) < 4 THEN jsonb_build_object('visitor', 'v' || mod(n * 31, 300000)) ELSE '{}' END,"
            " false, now() - n * (interval '1 day' * %s / %s),"
            " CASE WHEN mod(n, 10) < 3 THEN NULL ELSE"
            "  (SELECT id FROM bench_people WHERE k = (n / %s + 1) + mod(n::bigint * 7919, %s - n / %s)) END"
            " FROM generate_series(1, %s) n",
            [[str(x) for x in names], len(names), DAYS, EVENTS, ratio, USERS, ratio, EVENTS],
        )
        # Subscriptions: every fourth person, three days after joining, for 1 to 24 months.
        cursor.execute(
            "CREATE TEMP TABLE bench_subs AS SELECT p.id AS user_id, p.k,"
            " p.date_joined + interval '3 days' AS started, mod(p.k, 5) = 0 AS annual,"
            " 1 + mod(p.k * 31, 24) AS months FROM bench_people p WHERE mod(p.k, 4) = 0"
            " AND p.date_joined + interval '3 days' < now()"
        )
        cursor.execute(
            "INSERT INTO billing_subscription (user_id, plan_id, interval, status, provider, provider_subscription_id,"
            " billing_anchor, current_period_start, current_period_end, cancel_at_period_end, canceled_at, ended_at,"
            " created_at, updated_at)"
            " SELECT s.user_id, (SELECT id FROM billing_plan WHERE code = 'pro'),"
            " CASE WHEN s.annual THEN 'year' ELSE 'month' END,"
            " CASE WHEN s.started + s.months * interval '1 month' > now() THEN 'active' ELSE 'canceled' END,"
            " 'manual', '', s.started, s.started, s.started + s.months * interval '1 month', false,"
            " CASE WHEN s.started + s.months * interval '1 month' > now() THEN NULL"
            "  ELSE s.started + s.months * interval '1 month' END,"
            " CASE WHEN s.started + s.months * interval '1 month' > now() THEN NULL"
            "  ELSE s.started + s.months * interval '1 month' END, s.started, now() FROM bench_subs s"
        )
        # One invoice a month (or a year), the first 20 % off for every tenth customer.
        cursor.execute(
            "INSERT INTO billing_payment (description, subtotal_cents, discount_cents, credit_cents, amount_cents,"
            " currency, status, provider, provider_invoice_id, attempts, created_at, paid_at, period_start,"
            " period_end, plan_id, user_id, subscription_id)"
            " SELECT 'Pro', price, discount, 0, price - discount, 'usd', 'paid', 'manual', '', 1, ps, ps, ps,"
            " ps + CASE WHEN annual THEN interval '1 year' ELSE interval '1 month' END,"
            " (SELECT id FROM billing_plan WHERE code = 'pro'), user_id, sub_id FROM ("
            "  SELECT s.user_id, s.annual, b.id AS sub_id,"
            "   s.started + i * CASE WHEN s.annual THEN interval '1 year' ELSE interval '1 month' END AS ps,"
            "   CASE WHEN s.annual THEN 12000 ELSE 1200 END AS price,"
            "   CASE WHEN i = 0 AND mod(s.k, 10) = 0 THEN CASE WHEN s.annual THEN 2400 ELSE 240 END ELSE 0 END"
            "    AS discount"
            "  FROM bench_subs s JOIN billing_subscription b ON b.user_id = s.user_id,"
            "  generate_series(0, s.months - 1) i"
            "  WHERE NOT s.annual OR i * 12 < s.months) invoices WHERE ps < now()"
        )
        cursor.execute("ANALYZE")
        print(f"built the data set in {time.perf_counter() - started:.0f} s", flush=True)
    return True


def _snapshots(first, last) -> float:
    """Write the snapshots the dashboard reads (every family but cohorts for each day, cohorts for the
    last), skipping days already written. Seconds spent."""
    from insights.metrics.snapshots import FAMILIES
    from insights.models import DailySnapshot
    from insights.services import daily_snapshot_build

    started = time.perf_counter()
    have = set(DailySnapshot.objects.filter(day__gte=first, day__lte=last).values_list("day", "family"))
    daily = [family for family in FAMILIES if family != "cohorts"]
    day = first
    while day <= last:
        missing = [family for family in daily if (day, family) not in have]
        if missing:
            daily_snapshot_build(day=day, families=missing)
        day += timedelta(days=1)
    if (last, "cohorts") not in have:
        daily_snapshot_build(day=last, families=["cohorts"])
    return time.perf_counter() - started


def _time(function, rounds: int) -> tuple[float, object]:
    """Median milliseconds of `rounds` calls (after one warm-up), and the last answer."""
    answer = function()
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        answer = function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), answer


def _row(figure: str, ours_ms: float, reference: str, reference_ms: float | None, target: str = "") -> None:
    ref = "—" if reference_ms is None else f"{reference_ms:,.1f}"
    print(f"| {figure} | {ours_ms:,.1f} | {reference} | {ref} | {target} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    _create_database(args.database_url)
    _setup(args.database_url)
    build_dashboard_dataset(args.database_url, rebuild=args.rebuild)

    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from billing.models import Payment
    from insights.metrics import activity, content, funnel, retention, revenue
    from insights.metrics.dashboard import TREND_MONTHS
    from insights.metrics.periods import add_months, day_end, day_start, month_start
    from insights.models import Event
    from insights.services import daily_snapshot_build
    from teams.models import User

    end = timezone.now().date() - timedelta(days=1)
    start = end - timedelta(days=29)
    first = min(add_months(month_start(end), -(TREND_MONTHS - 1)), start - timedelta(days=30))
    seconds = _snapshots(first, end)
    print(f"snapshots of {first} to {end} ready ({seconds:.0f} s to write the missing ones)\n")
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print(
        f"{User.objects.count():,} users, {Event.objects.count():,} events, "
        f"{Payment.objects.count():,} payments; range {start} to {end}, median of {args.rounds} rounds\n"
    )
    print("| figure | ours (ms) | reference, same run | reference (ms) | target |")
    print("|---|---|---|---|---|")

    # The BI dashboard from snapshots, beside the same range computed from the raw tables.
    staff = Client()
    staff.force_login(User.objects.get(email=STAFF))
    url = reverse("admin:insights_bidashboard_changelist")
    query = {"start": start.isoformat(), "end": end.isoformat()}
    page_ms, response = _time(lambda: staff.get(url, query), args.rounds)
    assert response.status_code == 200

    def raw_dashboard() -> None:
        revenue.mrr_movements(start=day_end(start - timedelta(days=1)), end=day_end(end))
        activity.active_users(day=end)
        activity.feature_adoption(start=end - timedelta(days=29), end=end)
        content.content_figures(start=start, end=end)
        funnel.funnel_counts(start=start, end=end)
        retention.retention_cohorts(day=end)
        for offset in range(TREND_MONTHS):
            month = add_months(month_start(end), -offset)
            revenue.mrr(at=day_end(min(add_months(month, 1) - timedelta(days=1), end)))

    raw_ms, _answer = _time(raw_dashboard, max(args.rounds // 5, 1))
    _row(
        "BI dashboard page (30 days, from snapshots)",
        page_ms,
        "same figures from raw tables, no snapshots",
        raw_ms,
        "< 300 ms",
    )

    # MRR: one grouped query, beside every paid invoice fetched and summed in Python.
    at = day_end(end)
    mrr_ms, mrr = _time(lambda: revenue.mrr(at=at), args.rounds)

    def python_mrr() -> int:
        latest: dict[int, tuple] = {}
        rows = Payment.objects.filter(status="paid", period_start__lte=at, subtotal_cents__gt=0).values_list(
            "user_id", "period_start", "period_end", "subtotal_cents", "discount_cents"
        )
        for user, started, ended, price, discount in rows:
            if user not in latest or started > latest[user][0]:
                latest[user] = (started, ended, price - discount)
        total = 0.0
        for started, ended, net in latest.values():
            if ended > at:
                total += net / 12 if ended - started > timedelta(days=40) else net
        return round(total)

    python_ms, python_value = _time(python_mrr, max(args.rounds // 5, 1))
    assert python_value == mrr, (python_value, mrr)
    _row(f"MRR at one instant ({mrr / 100:,.2f})", mrr_ms, "all paid invoices summed in Python", python_ms)
    moves_ms, _moves = _time(
        lambda: revenue.mrr_movements(start=day_end(start - timedelta(days=1)), end=day_end(end)), args.rounds
    )
    _row("MRR movements over 30 days", moves_ms, "MRR at one instant, in Python (above)", python_ms)

    # DAU/WAU/MAU: one aggregate, beside the 30 days' events fetched into Python sets.
    active_ms, active = _time(lambda: activity.active_users(day=end), args.rounds)

    def python_active() -> dict[str, int]:
        rows = Event.objects.filter(
            actor__isnull=False, occurred_at__gte=day_start(end - timedelta(days=29)), occurred_at__lt=day_end(end)
        ).values_list("actor_id", "occurred_at")
        day, week, month = set(), set(), set()
        for actor, when in rows:
            month.add(actor)
            if when >= day_start(end - timedelta(days=6)):
                week.add(actor)
            if when >= day_start(end):
                day.add(actor)
        return {"dau": len(day), "wau": len(week), "mau": len(month)}

    python_ms, python_value = _time(python_active, max(args.rounds // 5, 1))
    assert python_value == active, (python_value, active)
    _row(f"DAU / WAU / MAU ({active['dau']} / {active['wau']} / {active['mau']})", active_ms,
         "30 days of events into Python sets", python_ms)  # fmt: skip
    adoption_ms, _adoption = _time(lambda: activity.feature_adoption(start=start, end=end), args.rounds)
    _row("feature adoption over 30 days", adoption_ms, "DAU/WAU/MAU in Python (above)", python_ms)

    # The funnel: two queries, beside a query per signup on a sample, extrapolated.
    funnel_ms, steps = _time(lambda: funnel.funnel_steps(start=start, end=end), args.rounds)
    signups = list(User.objects.filter(date_joined__gte=day_start(start), date_joined__lt=day_end(end)))

    def python_funnel_sample() -> None:
        for user in signups[:SAMPLE]:
            user.emailaddress_set.filter(verified=True).exists()
            Event.objects.filter(actor=user, name="video.created").exists()
            Payment.objects.filter(user=user, status="paid", amount_cents__gt=0).exists()

    sample_ms, _answer = _time(python_funnel_sample, max(args.rounds // 5, 1))
    sample = min(len(signups), SAMPLE) or 1
    counts = " > ".join(str(step.count) for step in steps)
    reference = f"a query per signup, {sample} sampled, scaled to {len(signups)}"
    _row(f"funnel, 30 days ({counts})", funnel_ms, reference, sample_ms * len(signups) / sample, "< 1,000 ms")

    # Cohorts: two grouped queries, beside a year of (actor, signup, time) rows grouped in Python.
    cohorts_ms, cohorts = _time(lambda: retention.retention_cohorts(day=end), max(args.rounds // 4, 1))
    since = day_start(add_months(month_start(end), -11))

    def python_cohorts() -> int:
        seen = set()
        rows = Event.objects.filter(
            actor__date_joined__gte=since, occurred_at__gte=since, occurred_at__lt=day_end(end)
        ).values_list("actor_id", "actor__date_joined", "occurred_at")
        for actor, joined, when in rows:
            seen.add((joined.year, joined.month, when.year, when.month, actor))
        return len(seen)

    python_ms, pairs = _time(python_cohorts, 1)
    assert pairs == sum(sum(cohort.active) for cohort in cohorts)
    _row("retention cohorts, 12 months", cohorts_ms, "a year of events grouped in Python", python_ms)
    content_ms, _content = _time(lambda: content.content_figures(start=start, end=end), args.rounds)
    _row("content figures over 30 days", content_ms, "—", None)

    # A full rebuild of one day, each family timed.
    from insights.metrics.snapshots import FAMILIES

    parts = []
    for family in FAMILIES:
        started = time.perf_counter()
        daily_snapshot_build(day=end, families=[family])
        parts.append(f"{family} {(time.perf_counter() - started) * 1000:,.0f}")
    rebuild_ms, _rows = _time(lambda: daily_snapshot_build(day=end), 3)
    _row(
        "snapshot rebuild of one day (all families)", rebuild_ms, "per family: " + ", ".join(parts), None, "< 10,000 ms"
    )
    print(f"\nload average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")


if __name__ == "__main__":
    main()
