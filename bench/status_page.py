"""Status page speed: `/status/` from its cache, the same page computed afresh from the daily
roll-up, and the reference it replaces — one aggregate over 90 days of raw health-check rows.

Builds 90 days of health-check history at one row per check per minute (4 checks: 518,400 rows,
the volume the monitoring beat writes), rolls finished days up, opens a few incidents and a
maintenance window, then times with Django's test client:
  - `/status/` served from the cache (what visitors get; target under 50 ms);
  - `/status/` with its cache cleared (snapshot from the roll-up plus today's raw rows);
  - the raw alternative: one grouped query over every row of the 90 days (no roll-up);
  - `/healthz` as this machine's floor for a request (it runs 4 live checks).
Prints the load average beside the figures (the machine is shared).

Runs against DATABASE_URL when set (PostgreSQL recommended), else a throwaway SQLite database:
  .venv/bin/python bench/status_page.py [--runs 50] [--step-minutes 1]
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(folder: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _history(step_minutes: int) -> int:
    from django.utils import timezone

    from insights.health import CHECKS
    from insights.health_models import HealthCheckResult
    from insights.services.status import health_days_roll_up

    HealthCheckResult.objects.all().delete()
    now = timezone.now().replace(second=0, microsecond=0)
    at = now - dt.timedelta(days=89, hours=now.hour, minutes=now.minute)
    batch, total = [], 0
    n = 0
    while at <= now:
        for name in CHECKS:
            n += 1
            batch.append(HealthCheckResult(name=name, checked_at=at, ok=n % 997 != 0, duration_ms=3.0))
        if len(batch) >= 20_000:
            HealthCheckResult.objects.bulk_create(batch)
            total += len(batch)
            batch = []
        at += dt.timedelta(minutes=step_minutes)
    HealthCheckResult.objects.bulk_create(batch)
    total += len(batch)
    today = now.astimezone(dt.UTC).date()
    health_days_roll_up(since=today - dt.timedelta(days=90), until=today)
    return total


def _incidents() -> None:
    from django.utils import timezone

    from insights.services.incidents import incident_open
    from insights.services.status import maintenance_save

    incident_open(title="Renders slow", severity="P2", components=["rendering"], public_message="Looking into it.")
    incident_open(title="TikTok uploads fail", severity="P1", components=["publishing_tiktok"])
    start = timezone.now() + dt.timedelta(days=2)
    maintenance_save(
        title="DB upgrade", components=["web", "api"], starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )


def _time(function, runs: int) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--step-minutes", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _setup(Path(folder))
        from django.db import connection
        from django.db.models import Count, Q
        from django.db.models.functions import TruncDate
        from django.test import Client
        from django.utils import timezone

        from insights.health_models import HealthCheckResult
        from insights.status import status_cache_clear

        started = time.perf_counter()
        rows = _history(args.step_minutes)
        _incidents()
        print(f"history: {rows:,} rows on {connection.vendor}, built in {time.perf_counter() - started:.1f} s")
        client = Client(HTTP_HOST="localhost")

        def cached() -> None:
            assert client.get("/status/").status_code == 200

        def fresh() -> None:
            status_cache_clear()
            assert client.get("/status/").status_code == 200

        def raw() -> None:
            since = timezone.now() - dt.timedelta(days=90)
            list(
                HealthCheckResult.objects.filter(checked_at__gte=since)
                .annotate(day=TruncDate("checked_at", tzinfo=dt.UTC))
                .values("name", "day")
                .annotate(total=Count("id"), passed=Count("id", filter=Q(ok=True)))
                .order_by()
            )

        def healthz() -> None:
            client.get("/healthz")

        cached()  # warm the cache
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print("| measure | runs | p50 ms | p95 ms |")
        print("|---|---|---|---|")
        for label, function, runs in (
            ("/status/ from the cache (ours)", cached, args.runs),
            ("/status/ recomputed from the roll-up (ours, cache cleared)", fresh, max(args.runs // 5, 5)),
            ("reference: one aggregate over 90 days of raw rows (no roll-up)", raw, max(args.runs // 10, 3)),
            ("reference: /healthz (this machine's floor for a request)", healthz, args.runs),
        ):
            p50, p95 = _time(function, runs)
            print(f"| {label} | {runs} | {p50:.1f} | {p95:.1f} |")
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
