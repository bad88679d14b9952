"""What the public status page says: each component's state, from incidents, maintenance and the
health checks it depends on, and its 90-day uptime from the health-check history.

The page, the feed and the JSON endpoint read one snapshot, cached until an incident or a
maintenance window changes (or `STATUS_CACHE_SECONDS` pass, for the health checks).
"""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insights.health_models import HealthCheckResult
from insights.incident_models import COMPONENT_CHOICES, Incident, IncidentUpdate
from insights.status_models import HealthCheckDay, Maintenance

UTC = dt.UTC
UPTIME_DAYS = 90
# A health-check result older than this says nothing about now (the beat writes one a minute).
CHECK_FRESH_FOR = dt.timedelta(minutes=5)
SNAPSHOT_KEY = "status:snapshot"

# Which checks of insights.health.CHECKS each component needs: web pages and the API answer from
# the database and the cache; renders, exports and publishing are Celery work that reads and writes
# storage; e-mail and webhooks are outboxes in the database drained by workers through the broker.
COMPONENT_CHECKS: dict[str, tuple[str, ...]] = {
    "web": ("database", "cache"),
    "api": ("database", "cache"),
    "rendering": ("database", "broker", "storage"),
    "exports": ("database", "broker", "storage"),
    "publishing_youtube": ("database", "broker", "storage"),
    "publishing_instagram": ("database", "broker", "storage"),
    "publishing_tiktok": ("database", "broker", "storage"),
    "publishing_facebook": ("database", "broker", "storage"),
    "publishing_x": ("database", "broker", "storage"),
    "email": ("database", "broker"),
    "webhooks": ("database", "broker"),
}
COMPONENT_LABELS = dict(COMPONENT_CHOICES)

OPERATIONAL, MAINTENANCE, DEGRADED, PARTIAL, MAJOR = (
    "operational",
    "maintenance",
    "degraded_performance",
    "partial_outage",
    "major_outage",
)
# Worst last: a component shows the worst thing that applies to it.
STATE_ORDER = [OPERATIONAL, MAINTENANCE, DEGRADED, PARTIAL, MAJOR]
STATE_LABELS = {
    OPERATIONAL: _("Operational"),
    MAINTENANCE: _("Under maintenance"),
    DEGRADED: _("Degraded performance"),
    PARTIAL: _("Partial outage"),
    MAJOR: _("Major outage"),
}
STATE_ICONS = {OPERATIONAL: "check", MAINTENANCE: "clock", DEGRADED: "alert", PARTIAL: "alert", MAJOR: "x"}


def _worst(states: list[str]) -> str:
    return max(states, key=STATE_ORDER.index) if states else OPERATIONAL


def incident_impact(incident: Incident) -> str:
    """A P0 is a major outage, a P1 a partial one, anything less degraded performance."""
    rank = incident.severity.rank
    return MAJOR if rank == 0 else PARTIAL if rank == 1 else DEGRADED


def _failing_checks(now: dt.datetime) -> set[str]:
    """Checks whose newest result of the last few minutes failed."""
    newest: dict[str, bool] = {}
    recent = HealthCheckResult.objects.filter(checked_at__gte=now - CHECK_FRESH_FOR, checked_at__lte=now)
    for name, ok in recent.order_by("-checked_at").values_list("name", "ok"):
        newest.setdefault(name, ok)
    return {name for name, ok in newest.items() if not ok}


def uptime_by_component(*, now: dt.datetime, days: int = UPTIME_DAYS) -> dict[str, dict[str, Any]]:
    """Each component's uptime per UTC day (None without data) and over the window.

    Finished days come from the daily roll-up (insights.services.status.health_days_roll_up), today
    from one aggregate over today's raw rows. A component is as up as its weakest check that day.
    """
    today = now.astimezone(UTC).date()
    first = today - dt.timedelta(days=days - 1)
    per_check: dict[tuple[str, dt.date], tuple[int, int]] = {}
    for row in HealthCheckDay.objects.filter(day__gte=first, day__lt=today).values("name", "day", "total", "passed"):
        per_check[(row["name"], row["day"])] = (row["total"], row["passed"])
    midnight = dt.datetime.combine(today, dt.time(), tzinfo=UTC)
    # Today's rows are all one day: grouped by check only, no per-row date function.
    live = (
        HealthCheckResult.objects.filter(checked_at__gte=midnight, checked_at__lte=now)
        .values("name")
        .annotate(total=Count("id"), passed=Count("id", filter=Q(ok=True)))
        .order_by()
    )
    for row in live:
        per_check[(row["name"], today)] = (row["total"], row["passed"])

    dates = [first + dt.timedelta(days=n) for n in range(days)]
    result: dict[str, dict[str, Any]] = {}
    for component, checks in COMPONENT_CHECKS.items():
        day_values: list[float | None] = []
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for day in dates:
            ratios = []
            for check in checks:
                total, passed = per_check.get((check, day), (0, 0))
                if total:
                    ratios.append(passed / total)
                    totals[check][0] += total
                    totals[check][1] += passed
            day_values.append(round(min(ratios) * 100, 3) if ratios else None)
        overall = [passed / total for total, passed in totals.values() if total]
        result[component] = {
            "days": [{"date": day.isoformat(), "uptime": value} for day, value in zip(dates, day_values, strict=True)],
            "uptime": round(min(overall) * 100, 3) if overall else None,
        }
    return result


def status_snapshot(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """The status page's data, language-neutral (keys, not labels) and JSON-serialisable."""
    now = now or timezone.now()
    active = list(
        Incident.objects.filter(state__in=Incident.OPEN_STATES).select_related("severity").order_by("-detected_at")
    )
    public_updates: dict[int, list[dict[str, Any]]] = defaultdict(list)
    recent_resolved = list(
        Incident.objects.filter(resolved_at__gte=now - dt.timedelta(days=7))
        .select_related("severity")
        .order_by("-resolved_at")[:10]
    )
    shown = active + recent_resolved
    for update in IncidentUpdate.objects.filter(
        incident__in=[i.pk for i in shown], kind=IncidentUpdate.Kind.PUBLIC
    ).order_by("-created_at", "-id"):
        public_updates[update.incident_id].append(
            {"state": update.state, "body": update.body, "at": update.created_at.isoformat()}
        )
    maintenance = list(Maintenance.objects.filter(ends_at__gt=now).order_by("starts_at")[:20])
    failing = _failing_checks(now)
    uptime = uptime_by_component(now=now)

    components = []
    for key, checks in COMPONENT_CHECKS.items():
        states = [incident_impact(i) for i in active if key in i.components]
        states += [MAINTENANCE for m in maintenance if m.starts_at <= now and key in m.components]
        if failing.intersection(checks):
            states.append(PARTIAL)
        components.append({"key": key, "state": _worst(states), **uptime[key]})

    def incident_row(incident: Incident) -> dict[str, Any]:
        return {
            "id": incident.pk,
            "title": incident.title,
            "state": incident.state,
            "impact": incident_impact(incident),
            "components": incident.components,
            "detected_at": incident.detected_at.isoformat(),
            "resolved_at": incident.resolved_at.isoformat() if incident.resolved_at else None,
            "updates": public_updates.get(incident.pk, []),
        }

    # An incident goes public once staff say what it affects or post a public update: an alert's
    # internal title ("p95 latency above 800 ms on db-2") is not news for the status page by itself.
    public_active = [i for i in active if i.components or public_updates.get(i.pk)]
    return {
        "generated_at": now.isoformat(),
        "state": _worst([c["state"] for c in components]),
        "components": components,
        "incidents": [incident_row(i) for i in public_active],
        "recently_resolved": [incident_row(i) for i in recent_resolved if i.components or public_updates.get(i.pk)],
        "maintenance": [
            {
                "id": m.pk,
                "title": m.title,
                "description": m.description,
                "components": m.components,
                "starts_at": m.starts_at.isoformat(),
                "ends_at": m.ends_at.isoformat(),
                "in_progress": m.starts_at <= now,
            }
            for m in maintenance
        ],
    }


def status_snapshot_cached() -> dict[str, Any]:
    """The snapshot, from the cache while it is fresh."""
    snapshot = cache.get(SNAPSHOT_KEY)
    if snapshot is None:
        snapshot = status_snapshot()
        cache.set(SNAPSHOT_KEY, snapshot, timeout=settings.STATUS_CACHE_SECONDS)
    return snapshot


def html_cache_key(language: str) -> str:
    return f"status:html:{language}"


def status_cache_clear() -> None:
    """Forget the cached snapshot and pages: an incident or a maintenance window changed."""
    cache.delete_many([SNAPSHOT_KEY] + [html_cache_key(code) for code, _name in settings.LANGUAGES])
