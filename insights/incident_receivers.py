"""Alerts open incidents: one per alert episode (insights.signals), never one per evaluation."""

from datetime import datetime
from typing import Any

from insights.incident_models import Incident

ALERT_SEVERITIES = {"P0", "P1", "P2", "P3"}


def on_alert_fired(
    sender: Any, *, episode_id: int, rule_key: str, severity: str, title: str, started_at: datetime, **kwargs: Any
) -> None:
    # "info" alerts tell staff something; they are not incidents.
    if severity not in ALERT_SEVERITIES:
        return
    from insights.services.incidents import incident_open

    incident_open(
        title=title,
        severity=severity,
        source=Incident.Source.ALERT,
        source_id=episode_id,
        detected_at=started_at,
    )


def on_alert_resolved(sender: Any, *, episode_id: int, resolved_at: datetime, **kwargs: Any) -> None:
    from insights.services.incidents import incident_alert_cleared

    incident_alert_cleared(episode_id=episode_id, resolved_at=resolved_at)
