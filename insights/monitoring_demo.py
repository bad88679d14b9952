"""Demo monitoring: three days of health-check history (with a short broker outage), request
timings of a few routes, two weeks of costs and a few alert episodes, so the monitoring page, the
alert list and the retrospective have something to show after `make run`."""

import random
from datetime import timedelta

from django.utils import timezone

from insights.health import CHECKS
from insights.models import AlertEpisode, AlertRule, DailyCost, HealthCheckResult, RouteTiming
from insights.monitoring_models import BUCKET_FIELDS
from insights.services.monitoring import daily_cost_save
from teams.models import User

# (route, method, requests per hour, bucket weights: mostly fast, some slow)
ROUTES = [
    ("/", "GET", 120, (40, 30, 20, 6, 2, 1, 1, 0, 0, 0, 0, 0)),
    ("/videos/", "GET", 80, (5, 15, 30, 25, 15, 6, 3, 1, 0, 0, 0, 0)),
    ("/videos/<int:pk>/retry/", "POST", 12, (0, 0, 0, 1, 3, 10, 30, 30, 20, 5, 1, 0)),
    ("/api/v1/videos/", "GET", 60, (10, 30, 30, 20, 6, 3, 1, 0, 0, 0, 0, 0)),
]
BUCKET_MS = (3, 8, 20, 40, 80, 200, 400, 800, 2000, 4000, 8000, 12000)


def load(*, creator: User, staff: User) -> None:
    """Fill the monitoring tables once (a second run finds the costs and stops)."""
    if DailyCost.objects.exists():
        return
    now = timezone.now().replace(second=0, microsecond=0)
    rng = random.Random(17)  # the same demo every time
    results = []
    # A run every 10 minutes rather than every minute keeps the demo small; the broker was down
    # for half an hour yesterday.
    outage = (now - timedelta(hours=30), now - timedelta(hours=29, minutes=30))
    for step in range(3 * 24 * 6):
        at = now - timedelta(minutes=10 * step)
        for name in CHECKS:
            down = name == "broker" and outage[0] <= at < outage[1]
            error = "ConnectionRefusedError: [Errno 111] Connection refused" if down else ""
            results.append(
                HealthCheckResult(name=name, checked_at=at, ok=not down, duration_ms=rng.uniform(0.3, 4), error=error)
            )
    HealthCheckResult.objects.bulk_create(results)

    timings = []
    for hours_ago in range(3 * 24):
        start = (now - timedelta(hours=hours_ago)).replace(minute=0)
        for route, method, per_hour, weights in ROUTES:
            counts = [0] * len(BUCKET_FIELDS)
            for index in rng.choices(range(len(weights)), weights=weights, k=per_hour):
                counts[index] += 1
            errors = sum(1 for _ in range(per_hour) if rng.random() < (0.03 if method == "POST" else 0.002))
            timings.append(
                RouteTiming(
                    route=route,
                    method=method,
                    period_start=start,
                    count=per_hour,
                    error_count=errors,
                    total_ms=sum(c * ms for c, ms in zip(counts, BUCKET_MS, strict=True)),
                    **dict(zip(BUCKET_FIELDS, counts, strict=True)),
                )
            )
    RouteTiming.objects.bulk_create(timings, ignore_conflicts=True)

    for days_ago in range(1, 15):
        day = now.date() - timedelta(days=days_ago)
        amount = 4200 + rng.randint(-300, 300) + (5200 if days_ago == 1 else 0)  # yesterday: a spike
        daily_cost_save(day=day, amount_cents=amount, note="Hosting, e-mail and storage", actor=staff)

    rules = {rule.key: rule for rule in AlertRule.objects.all()}
    episodes = [
        ("error_rate", "Error rate: 7.5 (limit 5)", 7.5, 5, timedelta(days=2, hours=3), timedelta(minutes=12)),
        ("payment_failures", "Payment failures: 8 (limit 5)", 8, 5, timedelta(days=1, hours=6), timedelta(hours=2)),
        ("latency_p95", "p95 latency: 1000 (limit 500)", 1000, 500, timedelta(minutes=40), None),
    ]
    for key, title, value, threshold, ago, lasted in episodes:
        if key not in rules:
            continue
        started = now - ago
        AlertEpisode.objects.create(
            rule=rules[key],
            severity=rules[key].severity,
            title=title,
            value=value,
            threshold=threshold,
            started_at=started,
            resolved_at=started + lasted if lasted else None,
            last_value=value,
        )
