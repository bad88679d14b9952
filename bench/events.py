"""What recording a page view adds to a request: the same page with and without the page-view
middleware, in-process (Django's test client, no network), in one run.

Requests the landing page (signed out) and the dashboard (signed in) ROUNDS times each, alternating
"without" and "with" so a busy shared machine slows both alike, and prints p50 / p95 in
milliseconds and the difference. "with" is the real path: `insights.middleware.PageViewMiddleware`
buffering into the configured cache (use Redis, as production does: CACHE_URL). The inline flush
every PAGE_VIEWS_FLUSH_AT views is part of "with" (it lands in the tail, not the median); the
beat task's flush of the rest is timed separately, per 1,000 views.

Run from the project root against a migrated database of its own:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/vc_bench_engagement CACHE_URL=redis://127.0.0.1:6379/9 \
    .venv/bin/python bench/events.py [--rounds 400]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}
EMAIL = "bench-events@bench.local"


def _setup() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("CACHE_URL", "locmemcache://bench-events")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=400)
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings

    from insights.event_names import EventName
    from insights.models import Event
    from insights.page_views import page_view_buffer, page_views_flush
    from teams.models import User

    user, _created = User.objects.get_or_create(email=EMAIL, defaults={"display_name": "Bench Events"})
    without = [m for m in settings.MIDDLEWARE if m != "insights.middleware.PageViewMiddleware"]

    def client_pair(*, signed_in: bool) -> tuple[Client, Client]:
        # A test client builds its middleware chain at its first request and keeps it: the "without"
        # client makes its first request while the setting lacks the page-view middleware.
        plain, recording = Client(), Client()
        if signed_in:
            plain.force_login(user)
            recording.force_login(user)
        with override_settings(MIDDLEWARE=without):
            plain.get("/healthz")
        recording.get("/healthz")
        return plain, recording

    routes = [
        ("landing (signed out)", *client_pair(signed_in=False), "/"),
        ("dashboard (signed in)", *client_pair(signed_in=True), "/dashboard/"),
    ]
    page_views_flush()
    before = Event.objects.filter(name=EventName.PAGE_VIEWED).count()

    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    print(f"database: {engine}, cache: {backend}")
    print()
    print("| route | rounds | without p50 | without p95 | with p50 | with p95 | added p50 | added p95 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    recorded_by_requests = 0
    for label, plain, recording, path in routes:
        for _ in range(20):  # warm up both paths
            plain.get(path, **BROWSER)
            recording.get(path, **BROWSER)
        recorded_by_requests += 20
        off: list[float] = []
        on: list[float] = []
        for _ in range(args.rounds):
            start = time.perf_counter()
            plain.get(path, **BROWSER)
            off.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            recording.get(path, **BROWSER)
            on.append((time.perf_counter() - start) * 1000)
        recorded_by_requests += args.rounds
        off50, off95 = _percentiles(off)
        on50, on95 = _percentiles(on)
        print(
            f"| {label} | {args.rounds} | {off50:.2f} | {off95:.2f} | {on50:.2f} | {on95:.2f} |"
            f" {on50 - off50:+.2f} | {on95 - off95:+.2f} |"
        )

    # The entry point alone, without a request around it.
    from django.utils import timezone

    calls = []
    with override_settings(PAGE_VIEWS_FLUSH_AT=10**9):  # the buffering alone; the flush is timed below
        for n in range(2000):
            start = time.perf_counter()
            page_view_buffer(visitor="bench-visitor-000000", path=f"/bench/{n}", actor_id=None, at=timezone.now())
            calls.append((time.perf_counter() - start) * 1000)
    p50, p95 = _percentiles(calls)
    print()
    print(f"page_view_buffer alone: p50 {p50:.3f} ms, p95 {p95:.3f} ms (2,000 calls, no flush among them)")
    start = time.perf_counter()
    flushed = page_views_flush()
    seconds = time.perf_counter() - start
    written = Event.objects.filter(name=EventName.PAGE_VIEWED).count() - before
    per_thousand = seconds * 1000 / max(flushed, 1) * 1000
    print(
        f"flush of the remaining {flushed:,} buffered views: {seconds * 1000:.1f} ms ({per_thousand:.1f} ms per 1,000)"
    )
    expected = recorded_by_requests + 2000
    print(
        f"page.viewed rows written this run: {written:,} (expected {expected:,}: the recording clients' and the calls')"
    )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
