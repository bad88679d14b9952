"""Request timing: how long each route takes and how often it fails, cheaply enough for every request.

The middleware (first in MIDDLEWARE, so its clock covers the whole stack) measures a request,
names it by its URL pattern (`ResolverMatch.route`, never the raw path: `/videos/42/` and
`/videos/43/` are one route, and a path cannot leak an id or a token into the table), and adds it
to an in-process buffer: a count, the server errors, the summed time and a fixed-bucket histogram
per (route, method, period). The buffer is written in bulk, at most every
`REQUEST_TIMING_FLUSH_SECONDS`, as increments of one row per route, method and period
(`RouteTiming`), so percentiles come from summed buckets, never from stored samples.

`REQUEST_TIMING_SAMPLE_RATE` records only a share of requests; observers registered with
`add_observer` (the Prometheus histogram) see every request whatever the rate.
"""

import bisect
import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest, HttpResponse

from insights.monitoring_models import BUCKET_BOUNDS_MS, BUCKET_FIELDS, RouteTiming

logger = logging.getLogger(__name__)

Observer = Callable[[str, str, int, float], None]
_observers: list[Observer] = []

UNMATCHED_ROUTE = "<unmatched>"  # no URL pattern matched (most 404s)
ROUTE_MAX_LENGTH = RouteTiming._meta.get_field("route").max_length
# [count, errors, total_ms, bucket 0, bucket 1, …]
_SLOTS = 3 + len(BUCKET_FIELDS)


def add_observer(observer: Observer) -> None:
    """Have `observer(route, method, status, seconds)` called after every request."""
    if observer not in _observers:
        _observers.append(observer)


def remove_observer(observer: Observer) -> None:
    """Stop calling `observer` (tests, and a module that unloads)."""
    if observer in _observers:
        _observers.remove(observer)


def bucket_index(ms: float) -> int:
    """The histogram bucket of a latency: the first whose upper bound is at least `ms`."""
    return bisect.bisect_left(BUCKET_BOUNDS_MS, ms)


class TimingBuffer:
    """Timings summed in this process until they are written (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[tuple[str, str, int], list[float]] = {}
        self._last_flush = time.monotonic()

    def add(self, route: str, method: str, status: int, seconds: float, *, at: float | None = None) -> None:
        period = settings.REQUEST_TIMING_PERIOD_SECONDS
        start = int((time.time() if at is None else at) // period) * period
        ms = seconds * 1000
        key = (route, method, start)
        with self._lock:
            row = self._rows.get(key)
            if row is None:
                row = self._rows[key] = [0.0] * _SLOTS
            row[0] += 1
            if status >= 500:
                row[1] += 1
            row[2] += ms
            row[3 + bucket_index(ms)] += 1

    def due(self) -> bool:
        return time.monotonic() - self._last_flush >= settings.REQUEST_TIMING_FLUSH_SECONDS

    def clear(self) -> None:
        with self._lock:
            self._rows = {}

    def flush(self) -> int:
        """Write what was summed since the last flush; returns the number of rows touched."""
        with self._lock:
            rows, self._rows = self._rows, {}
            self._last_flush = time.monotonic()
        for (route, method, start), values in rows.items():
            _row_add(route=route, method=method, period_start=datetime.fromtimestamp(start, tz=UTC), values=values)
        return len(rows)


def _row_add(*, route: str, method: str, period_start: datetime, values: list[float]) -> None:
    counts = {"count": int(values[0]), "error_count": int(values[1]), "total_ms": values[2]}
    counts.update({name: int(values[3 + i]) for i, name in enumerate(BUCKET_FIELDS) if values[3 + i]})
    increments = {name: F(name) + amount for name, amount in counts.items()}
    rows = RouteTiming.objects.filter(route=route, method=method, period_start=period_start)
    if rows.update(**increments):
        return
    try:
        with transaction.atomic():
            RouteTiming.objects.create(route=route, method=method, period_start=period_start, **counts)
    except IntegrityError:
        # Another process created the row between our update and our insert: add to it.
        rows.update(**increments)


BUFFER = TimingBuffer()


def route_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return UNMATCHED_ROUTE
    # Written as a path ("/videos/<int:pk>/"), so the site root is "/" rather than "".
    return ("/" + match.route)[:ROUTE_MAX_LENGTH]


class RequestTimingMiddleware:
    """Times every request and hands it to the buffer (sampled) and the observers (all)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.sample_rate = settings.REQUEST_TIMING_SAMPLE_RATE

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        route = route_of(request)
        method = request.method or ""
        status = response.status_code
        for observer in _observers:
            try:
                observer(route, method, status, seconds)
            except Exception:  # an observer's bug must never cost the visitor their answer
                logger.exception("request timing observer %r failed", observer)
        if self.sample_rate >= 1 or random.random() < self.sample_rate:
            BUFFER.add(route, method, status, seconds)
            if BUFFER.due():
                try:
                    BUFFER.flush()
                except DatabaseError:  # timings are worth less than the answer: drop them, say so
                    logger.exception("request timings could not be written")
        return response
