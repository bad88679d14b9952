"""Reads of the monitoring: slowest routes, error rate, uptime and the activity figures alerts use."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate

from insights.event_names import EventName
from insights.models import DailyCost, Event, HealthCheckResult, RouteTiming
from insights.monitoring_models import BUCKET_BOUNDS_MS, BUCKET_FIELDS
from teams.models import User


def percentile_from_buckets(buckets: Sequence[int], q: float) -> float | None:
    """The `q` quantile (0…1) of a fixed-bucket histogram, as the upper bound of the bucket it falls
    in (the last, open bucket reads as the last bound); None without requests."""
    total = sum(buckets)
    if not total:
        return None
    rank = q * total
    seen = 0
    for index, count in enumerate(buckets):
        seen += count
        if seen >= rank and count:
            return float(BUCKET_BOUNDS_MS[min(index, len(BUCKET_BOUNDS_MS) - 1)])
    return float(BUCKET_BOUNDS_MS[-1])


@dataclass(frozen=True)
class TimingSummary:
    route: str
    method: str
    count: int
    error_count: int
    mean_ms: float
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None

    @property
    def error_rate(self) -> float:
        """Share of requests answered with a server error (0…1)."""
        return self.error_count / self.count if self.count else 0.0

    @property
    def error_percent(self) -> float:
        return round(100 * self.error_rate, 2)


_SUMS = {"count": Sum("count"), "error_count": Sum("error_count"), "total_ms": Sum("total_ms")} | {
    name: Sum(name) for name in BUCKET_FIELDS
}


def _summary(route: str, method: str, row: dict) -> TimingSummary:
    buckets = [row[name] or 0 for name in BUCKET_FIELDS]
    count = row["count"] or 0
    return TimingSummary(
        route=route,
        method=method,
        count=count,
        error_count=row["error_count"] or 0,
        mean_ms=(row["total_ms"] or 0) / count if count else 0.0,
        p50_ms=percentile_from_buckets(buckets, 0.50),
        p95_ms=percentile_from_buckets(buckets, 0.95),
        p99_ms=percentile_from_buckets(buckets, 0.99),
    )


def route_timing_slowest(*, since: datetime, until: datetime, limit: int = 20) -> list[TimingSummary]:
    """Routes with requests in [since, until), slowest p95 first (then the busiest), in one query."""
    rows = (
        RouteTiming.objects.filter(period_start__gte=since, period_start__lt=until)
        .values("route", "method")
        .annotate(**_SUMS)
        .order_by()
    )
    summaries = [_summary(row["route"], row["method"], row) for row in rows]
    summaries.sort(key=lambda s: (-(s.p95_ms or 0), -s.count, s.route))
    return summaries[:limit]


def request_totals(*, since: datetime, until: datetime) -> TimingSummary:
    """Every route together in [since, until): count, server errors and percentiles."""
    row = RouteTiming.objects.filter(period_start__gte=since, period_start__lt=until).aggregate(**_SUMS)
    return _summary("*", "*", row)


def uptime_ratio(*, names: Iterable[str] | None = None, since: datetime, until: datetime) -> float | None:
    """Share (0…1) of the health-check runs in [since, until) in which every check (of `names`)
    passed; None when no run was recorded. One run is the rows sharing a `checked_at`."""
    rows = HealthCheckResult.objects.filter(checked_at__gte=since, checked_at__lt=until)
    if names is not None:
        rows = rows.filter(name__in=list(names))
    counts = rows.aggregate(
        runs=Count("checked_at", distinct=True), down=Count("checked_at", distinct=True, filter=Q(ok=False))
    )
    if not counts["runs"]:
        return None
    return 1 - counts["down"] / counts["runs"]


def health_check_latest() -> list[HealthCheckResult]:
    """The newest result of each check, by name."""
    latest = HealthCheckResult.objects.order_by("-checked_at").first()
    if latest is None:
        return []
    return list(HealthCheckResult.objects.filter(checked_at=latest.checked_at).order_by("name"))


def signup_count(*, since: datetime, until: datetime) -> int:
    """People who joined in [since, until)."""
    return User.objects.filter(date_joined__gte=since, date_joined__lt=until).count()


def event_count(*, name: str, since: datetime, until: datetime) -> int:
    """Events called `name` in [since, until)."""
    return Event.objects.filter(name=name, occurred_at__gte=since, occurred_at__lt=until).count()


def payment_failure_count(*, since: datetime, until: datetime) -> int:
    """Failed payment attempts in [since, until): billing records `payment.failed` once per failure."""
    return event_count(name=EventName.PAYMENT_FAILED, since=since, until=until)


def daily_active_users(*, since: datetime, until: datetime) -> dict[date, int]:
    """Distinct people with at least one event, per (UTC) day in [since, until)."""
    rows = (
        Event.objects.filter(occurred_at__gte=since, occurred_at__lt=until, actor__isnull=False)
        .annotate(day=TruncDate("occurred_at"))
        .values("day")
        .annotate(people=Count("actor", distinct=True))
        .order_by()
    )
    return {row["day"]: row["people"] for row in rows}


def mean_daily_active_users(*, since: datetime, days: int) -> float:
    """Mean of the daily active users over `days` days from `since` (days without anyone count as 0).

    Past whole days do not change, and the alert rule asks every minute: the answer is kept a day.
    """
    key = f"insights:dau-mean:{since.isoformat()}:{days}"
    cached = cache.get(key)
    if cached is None:
        per_day = daily_active_users(since=since, until=since + timedelta(days=days))
        cached = sum(per_day.values()) / days
        cache.set(key, cached, timeout=24 * 3600)
    return cached


def daily_cost_list(*, until: date, days: int) -> list[DailyCost]:
    """The entered costs of the `days` days up to and including `until`, newest first."""
    return list(DailyCost.objects.filter(day__lte=until, day__gt=until - timedelta(days=days)).order_by("-day"))
