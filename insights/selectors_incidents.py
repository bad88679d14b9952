"""Reads for the incident console: what is overdue, and how fast incidents were handled."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Q, QuerySet

from insights.incident_models import ActionItem, Incident

POSTMORTEM_DUE_AFTER = dt.timedelta(hours=72)


def incident_overdue_q(*, now: dt.datetime) -> Q:
    """A filter for open incidents past their response or resolution target at `now`.

    The targets live on the severity (editable), so the few open incidents are checked here
    rather than with date arithmetic each database spells differently.
    """
    open_incidents = Incident.objects.filter(state__in=Incident.OPEN_STATES).select_related("severity")
    return Q(pk__in=[i.pk for i in open_incidents if i.overdue_clocks(now=now)])


def postmortems_overdue(*, now: dt.datetime) -> QuerySet[Incident]:
    """Resolved incidents whose severity requires a post-mortem, resolved over 72 hours ago, without one."""
    return Incident.objects.filter(
        severity__postmortem_required=True,
        resolved_at__lte=now - POSTMORTEM_DUE_AFTER,
        postmortem__isnull=True,
    ).order_by("resolved_at")


def action_items_overdue(*, now: dt.datetime) -> QuerySet[ActionItem]:
    """Post-mortem action items not done by their due date."""
    return ActionItem.objects.filter(done_at=None, due_on__lt=now.date()).order_by("due_on", "id")


def incident_response_report(*, now: dt.datetime, months: int = 12) -> list[dict[str, Any]]:
    """Per month of detection and severity: incidents, mean minutes to acknowledge and to resolve."""
    since = (now - dt.timedelta(days=31 * months)).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    groups: dict[tuple[dt.date, str], dict[str, list[float]]] = defaultdict(lambda: {"ack": [], "resolve": [], "n": []})
    rows = Incident.objects.filter(detected_at__gte=since).values_list(
        "detected_at", "acknowledged_at", "resolved_at", "severity__code"
    )
    for detected, acknowledged, resolved, severity in rows:
        group = groups[(detected.date().replace(day=1), severity)]
        group["n"].append(1)
        if acknowledged:
            group["ack"].append((acknowledged - detected).total_seconds() / 60)
        if resolved:
            group["resolve"].append((resolved - detected).total_seconds() / 60)

    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 1) if values else None

    return [
        {
            "month": month,
            "severity": severity,
            "count": len(group["n"]),
            "ack_minutes": mean(group["ack"]),
            "resolve_minutes": mean(group["resolve"]),
        }
        for (month, severity), group in sorted(groups.items())
    ]
