"""Request-timing middleware overhead: a request through the whole stack with and without
`insights.request_timing.RequestTimingMiddleware`, in the same run.

Both stacks are Django's real WSGI handler with every middleware of `settings.MIDDLEWARE`; the
only difference is the timing middleware (sample rate 1.0, and 0.1 as a third stack). The view is
a trivial one, so the figure is the middleware's cost and nothing else's. Rounds alternate between
the stacks (so a noisy neighbour on the shared machine hits both) and the median round is kept.
Timings are flushed to the database as in production (every REQUEST_TIMING_FLUSH_SECONDS, 10 s;
the bench also forces one flush per round so the write is part of the figure). Target: < 0.2 ms.
Run:
  .venv/bin/python bench/monitoring.py [--requests 2000] [--rounds 7]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import types
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMING = "insights.request_timing.RequestTimingMiddleware"


def _setup(folder: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    sys.path.insert(0, str(ROOT))
    import django
    from django.http import HttpResponse
    from django.urls import path

    urls = types.ModuleType("bench_monitoring_urls")
    urls.urlpatterns = [path("items/<int:pk>/", lambda request, pk: HttpResponse("ok"), name="item")]
    sys.modules["bench_monitoring_urls"] = urls
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ROOT_URLCONF = "bench_monitoring_urls"
    settings.ALLOWED_HOSTS = ["*"]
    settings.REQUEST_TIMING_FLUSH_SECONDS = 10.0  # production's default (the test settings never flush)
    call_command("migrate", verbosity=0)


def _handler(middleware: list[str], sample_rate: float):
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    settings.MIDDLEWARE = middleware
    settings.REQUEST_TIMING_SAMPLE_RATE = sample_rate
    return WSGIHandler()  # loads the middleware chain now, from the settings above


def _environ(n: int) -> dict:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": f"/items/{n}/",
        "QUERY_STRING": "",
        "SERVER_NAME": "bench.local",
        "SERVER_PORT": "80",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }


def _round(handler, requests: int) -> float:
    """Seconds per request over `requests` requests."""
    environs = [_environ(n) for n in range(requests)]

    def start_response(status, headers, exc_info=None):
        return None

    started = time.perf_counter()
    for environ in environs:
        response = handler(environ, start_response)
        response.close()
    return (time.perf_counter() - started) / requests


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _setup(Path(folder))
        from django.conf import settings

        from insights.models import RouteTiming
        from insights.request_timing import BUFFER

        full = list(settings.MIDDLEWARE)
        without = [m for m in full if m != TIMING]
        stacks = {
            "without the timing middleware": _handler(without, 1.0),
            "with it, every request recorded": _handler(full, 1.0),
            "with it, 10 % sampled": _handler(full, 0.1),
        }
        times: dict[str, list[float]] = {name: [] for name in stacks}
        for handler in stacks.values():  # warm-up: imports, URL resolver, first connection
            _round(handler, 200)
        for _ in range(args.rounds):
            for name, handler in stacks.items():
                times[name].append(_round(handler, args.requests))
                BUFFER.flush()  # the bulk write is part of what the middleware costs
        recorded = sum(RouteTiming.objects.values_list("count", flat=True))

        reference = statistics.median(times["without the timing middleware"])
        print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        print(f"{args.rounds} rounds of {args.requests:,} requests per stack (median round), same run\n")
        print("| stack | µs per request | overhead vs without (µs) |")
        print("|---|---:|---:|")
        for name, values in times.items():
            median = statistics.median(values)
            overhead = "—" if median is reference else f"{(median - reference) * 1e6:+.1f}"
            print(f"| {name} | {median * 1e6:.1f} | {overhead} |")
        overhead_ms = (statistics.median(times["with it, every request recorded"]) - reference) * 1000
        print(f"\noverhead, every request recorded: {overhead_ms:.3f} ms (target < 0.2 ms): "
              f"{'OK' if overhead_ms < 0.2 else 'OVER TARGET'}")  # fmt: skip
        print(f"requests written to RouteTiming: {recorded:,}")
        _isolated(args.rounds)


def _isolated(rounds: int, calls: int = 200_000) -> None:
    """The middleware alone around a view that returns at once, beside the same call without it:
    the full stack's ~1 ms is noisy on a shared machine, this isolates the few microseconds."""
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.urls import resolve

    from insights.request_timing import BUFFER, RequestTimingMiddleware

    request = RequestFactory().get("/items/7/")
    request.resolver_match = resolve("/items/7/")
    response = HttpResponse("ok")

    def view(_request):
        return response

    timed = RequestTimingMiddleware(view)
    results: dict[str, list[float]] = {"bare view call": [], "through RequestTimingMiddleware": []}
    for _ in range(rounds):
        for name, call in (("bare view call", view), ("through RequestTimingMiddleware", timed)):
            started = time.perf_counter()
            for _ in range(calls):
                call(request)
            results[name].append((time.perf_counter() - started) / calls)
        BUFFER.flush()
    print(f"\nthe middleware alone, {rounds} rounds of {calls:,} calls (median round)\n")
    print("| call | µs per request |")
    print("|---|---:|")
    for name, values in results.items():
        print(f"| {name} | {statistics.median(values) * 1e6:.2f} |")


if __name__ == "__main__":
    main()
