"""Request timings (middleware, buffer, percentiles), the health-check history and uptime."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client, override_settings

from insights import request_timing
from insights.health import CHECKS
from insights.models import HealthCheckResult, RouteTiming
from insights.monitoring_selectors import percentile_from_buckets, request_totals, route_timing_slowest, uptime_ratio
from insights.request_timing import BUFFER, UNMATCHED_ROUTE, add_observer, bucket_index, remove_observer
from insights.services.monitoring import health_history_record, route_timings_prune

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
HOUR_AGO = NOW - timedelta(hours=1)


@pytest.fixture(autouse=True)
def _empty_buffer():
    BUFFER.clear()
    yield
    BUFFER.clear()


def add(route, seconds, status=200, *, method="GET", at=NOW):
    BUFFER.add(route, method, status, seconds, at=at.timestamp())


def test_a_latency_falls_in_the_first_bucket_whose_bound_is_at_least_it():
    latencies = (0.1, 5, 5.01, 10, 499, 500, 501, 10_000, 10_001)
    assert [bucket_index(ms) for ms in latencies] == [0, 0, 1, 1, 6, 6, 7, 10, 11]


def test_percentiles_are_the_upper_bounds_of_the_buckets_they_fall_in():
    # 100 requests: 50 at 3 ms, 45 at 40 ms, 4 at 400 ms, 1 at 12 s.
    buckets = [50, 0, 0, 45, 0, 0, 4, 0, 0, 0, 0, 1]
    assert percentile_from_buckets(buckets, 0.50) == 5
    assert percentile_from_buckets(buckets, 0.95) == 50
    assert percentile_from_buckets(buckets, 0.99) == 500
    assert percentile_from_buckets(buckets, 1.0) == 10_000  # the open bucket reads as the last bound
    assert percentile_from_buckets([0] * 12, 0.5) is None


def test_known_latencies_give_the_slowest_routes_with_p50_p95_p99_and_error_rate():
    for _ in range(50):
        add("fast/", 0.003)
    for _ in range(45):
        add("fast/", 0.040)
    for _ in range(4):
        add("fast/", 0.400, status=502)
    add("fast/", 12.0, status=500)
    for _ in range(10):
        add("slow/<int:pk>/", 0.8)
    assert BUFFER.flush() == 2

    slow, fast = route_timing_slowest(since=HOUR_AGO, until=NOW + timedelta(hours=1))
    assert (slow.route, slow.count, slow.p50_ms, slow.p95_ms, slow.p99_ms) == ("slow/<int:pk>/", 10, 1000, 1000, 1000)
    assert (fast.route, fast.count, fast.p50_ms, fast.p95_ms, fast.p99_ms) == ("fast/", 100, 5, 50, 500)
    assert fast.error_count == 5 and fast.error_rate == 0.05
    assert fast.mean_ms == pytest.approx((50 * 3 + 45 * 40 + 4 * 400 + 12_000) / 100)


def test_flushes_add_to_the_same_row_of_a_period():
    add("page/", 0.002)
    BUFFER.flush()
    add("page/", 0.002)
    add("page/", 0.030, status=500)
    BUFFER.flush()
    row = RouteTiming.objects.get()
    assert (row.count, row.error_count, row.b0, row.b3) == (3, 1, 2, 1)
    totals = request_totals(since=HOUR_AGO, until=NOW + timedelta(hours=1))
    assert (totals.count, totals.error_count) == (3, 1)


def test_periods_outside_the_window_are_not_counted():
    add("page/", 0.002, at=NOW - timedelta(days=2))
    add("page/", 0.002)
    BUFFER.flush()
    assert request_totals(since=HOUR_AGO, until=NOW + timedelta(hours=1)).count == 1


@override_settings(ROOT_URLCONF="tests.insights.timing_urls")
def test_the_middleware_records_the_url_pattern_never_the_path_and_counts_server_errors():
    client = Client(raise_request_exception=False)
    client.get("/items/41/")
    client.get("/items/42/")
    assert client.post("/broken/").status_code == 500
    assert client.get("/refused/").status_code == 403
    assert client.get("/no/such/page/").status_code == 404
    BUFFER.flush()

    rows = {(r.route, r.method): (r.count, r.error_count) for r in RouteTiming.objects.all()}
    assert rows == {
        ("/items/<int:pk>/", "GET"): (2, 0),
        ("/broken/", "POST"): (1, 1),
        ("/refused/", "GET"): (1, 0),
        (UNMATCHED_ROUTE, "GET"): (1, 0),
    }


@override_settings(ROOT_URLCONF="tests.insights.timing_urls", REQUEST_TIMING_SAMPLE_RATE=0.0)
def test_observers_see_every_request_even_when_none_is_sampled_for_the_table():
    seen = []

    def observer(route, method, status, seconds):
        seen.append((route, method, status, seconds > 0))

    add_observer(observer)
    try:
        Client(raise_request_exception=False).get("/items/7/")
    finally:
        remove_observer(observer)
    BUFFER.flush()
    assert seen == [("/items/<int:pk>/", "GET", 200, True)]
    assert not RouteTiming.objects.exists()


@override_settings(ROOT_URLCONF="tests.insights.timing_urls")
def test_a_failing_observer_does_not_cost_the_visitor_the_answer():
    def broken(*args):
        raise ValueError("observer bug")

    add_observer(broken)
    try:
        assert Client().get("/items/7/").status_code == 200
    finally:
        remove_observer(broken)


@override_settings(ROOT_URLCONF="tests.insights.timing_urls", REQUEST_TIMING_FLUSH_SECONDS=0)
def test_the_buffer_is_written_by_the_request_once_the_flush_interval_passed():
    Client().get("/items/7/")
    assert RouteTiming.objects.get().count == 1


def test_timings_older_than_the_retention_are_pruned(settings):
    add("page/", 0.002, at=NOW - timedelta(days=settings.REQUEST_TIMING_KEEP_DAYS + 1))
    add("page/", 0.002)
    BUFFER.flush()
    assert route_timings_prune(now=NOW) == 1
    assert RouteTiming.objects.count() == 1


# --- Health-check history and uptime ------------------------------------------------------------


def test_one_run_writes_one_row_per_check_and_a_second_run_in_the_same_minute_writes_none():
    assert health_history_record(now=NOW) == len(CHECKS)
    assert health_history_record(now=NOW + timedelta(seconds=30)) == 0
    assert sorted(HealthCheckResult.objects.values_list("name", flat=True)) == sorted(CHECKS)
    assert HealthCheckResult.objects.filter(ok=True).count() == len(CHECKS)  # sqlite, locmem, files: all up
    assert health_history_record(now=NOW + timedelta(minutes=1)) == len(CHECKS)


def test_a_failing_check_is_recorded_with_its_error(monkeypatch):
    def down():
        raise ConnectionRefusedError("broker down")

    monkeypatch.setitem(CHECKS, "broker", down)  # a real outage of a dependency, not of our code
    health_history_record(now=NOW)
    row = HealthCheckResult.objects.get(name="broker")
    assert (row.ok, row.error) == (False, "ConnectionRefusedError: broker down")


def test_history_older_than_92_days_is_pruned():
    HealthCheckResult.objects.create(name="database", ok=True, checked_at=NOW - timedelta(days=93))
    HealthCheckResult.objects.create(name="database", ok=True, checked_at=NOW - timedelta(days=91))
    health_history_record(now=NOW)
    assert HealthCheckResult.objects.filter(checked_at__lt=NOW).count() == 1


def _run(at, **outcomes):
    for name, ok in outcomes.items():
        HealthCheckResult.objects.create(name=name, ok=ok, checked_at=at)


def test_uptime_is_the_share_of_runs_in_which_every_check_passed():
    for minute in range(10):
        _run(NOW - timedelta(minutes=minute + 1), database=True, broker=minute not in (2, 3))
    assert uptime_ratio(since=NOW - timedelta(hours=1), until=NOW) == 0.8
    assert uptime_ratio(names=["database"], since=NOW - timedelta(hours=1), until=NOW) == 1.0
    assert uptime_ratio(names=["broker"], since=NOW - timedelta(minutes=3), until=NOW) == pytest.approx(2 / 3)
    assert uptime_ratio(since=NOW, until=NOW + timedelta(hours=1)) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_beats_recording_the_same_minute_at_once_write_one_set_of_rows():
    import threading

    barrier = threading.Barrier(2)
    written = []

    def beat():
        barrier.wait(5)
        written.append(health_history_record(now=NOW))
        connection.close()

    threads = [threading.Thread(target=beat) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert sorted(written) == [0, len(CHECKS)]
    assert HealthCheckResult.objects.filter(checked_at=NOW).count() == len(CHECKS)


def test_the_observer_hook_is_a_module_level_function():
    assert request_timing.add_observer is add_observer
