"""Writes of the monitoring: the health-check history, alert episodes and their notices, costs."""

import json
import logging
import time
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config import safe_http
from config.celery import TransientError
from config.errors import DomainError
from insights import alerts, health, signals
from insights.models import AlertEpisode, AlertRule, DailyCost, HealthCheckResult, RouteTiming
from insights.webhook_signing import signed_headers
from teams.models import User
from teams.notification_kinds import NotificationKind
from teams.services.notifications import notification_send

logger = logging.getLogger(__name__)

# Any constant of ours: two beats' history runs take turns on it (PostgreSQL advisory lock).
HEALTH_HISTORY_LOCK = 0x5643_4845  # "VCHE"
ALERT_WEBHOOK_TIMEOUT_SECONDS = 10.0


def health_history_record(*, now: datetime | None = None) -> int:
    """Run every health check and keep one row per check for this minute (once, however many beats
    call it); prune rows older than HEALTH_HISTORY_KEEP_DAYS. Returns the rows written."""
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    # The checks of /healthz itself, run outside the lock: the broker check may take seconds.
    _healthy, results = health.health_report(details=True)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HEALTH_HISTORY_LOCK])
        if HealthCheckResult.objects.filter(checked_at=now).exists():
            return 0
        HealthCheckResult.objects.bulk_create(
            HealthCheckResult(
                name=name,
                checked_at=now,
                ok=bool(result["ok"]),
                duration_ms=float(result["ms"]),  # type: ignore[arg-type]
                error=str(result.get("error", ""))[:300],
            )
            for name, result in results.items()
        )
    HealthCheckResult.objects.filter(checked_at__lt=now - timedelta(days=settings.HEALTH_HISTORY_KEEP_DAYS)).delete()
    return len(results)


def route_timings_prune(*, now: datetime | None = None) -> int:
    """Delete timing rows older than REQUEST_TIMING_KEEP_DAYS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.REQUEST_TIMING_KEEP_DAYS)
    deleted, _counts = RouteTiming.objects.filter(period_start__lt=cutoff).delete()
    return deleted


@transaction.atomic
def alert_rule_update(
    *, rule: AlertRule, severity: str, threshold: float, window_minutes: int, is_active: bool
) -> AlertRule:
    """Change what a rule fires on and how loudly (staff, in the admin)."""
    if severity not in AlertRule.Severity.values:
        raise DomainError(_("Unknown severity."), field="severity")
    if threshold < 0:
        raise DomainError(_("The threshold cannot be negative."), field="threshold")
    if window_minutes < 1:
        raise DomainError(_("The window must be at least one minute."), field="window_minutes")
    rule.severity, rule.threshold, rule.window_minutes, rule.is_active = severity, threshold, window_minutes, is_active
    rule.save(update_fields=["severity", "threshold", "window_minutes", "is_active", "updated_at"])
    return rule


@transaction.atomic
def daily_cost_save(*, day: date, amount_cents: int, note: str = "", actor: User | None) -> DailyCost:
    """Enter (or correct) what one day cost."""
    if amount_cents < 0:
        raise DomainError(_("A cost cannot be negative."), field="amount_cents")
    cost, _created = DailyCost.objects.update_or_create(
        day=day, defaults={"amount_cents": amount_cents, "note": note, "entered_by": actor}
    )
    return cost


@transaction.atomic
def daily_cost_delete(*, cost: DailyCost) -> None:
    """Remove a cost entered by mistake."""
    cost.delete()


def _title(rule: AlertRule, measurement: alerts.Measurement) -> str:
    value, limit = round(measurement.value, 2), round(measurement.limit, 2)
    return f"{rule.get_key_display()}: {value:g} (limit {limit:g})"[:300]


def _staff() -> list[User]:
    return list(User.objects.filter(is_staff=True, is_active=True).order_by("pk"))


def _notify(*, episode: AlertEpisode, result: str) -> None:
    url = reverse("admin:insights_alertepisode_change", args=[episode.pk])
    for person in _staff():
        notification_send(
            recipient=person,
            kind=NotificationKind.ALERT,
            params={"severity": episode.severity, "result": result, "title": episode.title},
            target_url=url,
            email=True,  # staff cannot opt out of alerts: that is what on-call means
        )


def _webhook_enqueue(episode_id: int, event: str) -> None:
    from insights.tasks import alert_webhook_send

    if not settings.ALERT_WEBHOOK_URL:
        return
    try:
        alert_webhook_send.delay(episode_id, event)
    except Exception:  # the episode is committed; staff still have the notice and the e-mail outbox
        logger.exception("alert webhook for episode %s (%s) could not be queued", episode_id, event)


def _announce_fired(episode: AlertEpisode) -> None:
    signals.alert_fired.send(
        sender=AlertEpisode,
        episode_id=episode.pk,
        rule_key=episode.rule.key,
        severity=episode.severity,
        title=episode.title,
        started_at=episode.started_at,
    )
    _webhook_enqueue(episode.pk, "fired")


def _announce_resolved(episode_id: int, resolved_at: datetime) -> None:
    signals.alert_resolved.send(sender=AlertEpisode, episode_id=episode_id, resolved_at=resolved_at)
    _webhook_enqueue(episode_id, "resolved")


def alert_rule_evaluate(*, rule: AlertRule, now: datetime) -> str:
    """Measure one rule: open an episode when its condition starts, resolve it when it clears.

    Returns "fired", "resolved" or "" (nothing changed). Two evaluations at once open one episode:
    the database allows one open episode per rule, and the loser's insert is simply not needed.
    """
    measurement = alerts.RULES[rule.key](rule, now)
    if measurement is None:
        return ""
    with transaction.atomic():
        open_episode = AlertEpisode.objects.filter(rule=rule, resolved_at__isnull=True).first()
        if measurement.firing and open_episode is None:
            try:
                with transaction.atomic():
                    episode = AlertEpisode.objects.create(
                        rule=rule,
                        severity=rule.severity,
                        title=_title(rule, measurement),
                        value=measurement.value,
                        threshold=measurement.limit,
                        started_at=now,
                        last_value=measurement.value,
                    )
            except IntegrityError:
                return ""  # another evaluation opened it a moment ago
            _notify(episode=episode, result="fired")
            transaction.on_commit(lambda: _announce_fired(episode))
            return "fired"
        if open_episode is None:
            return ""
        if measurement.firing:
            AlertEpisode.objects.filter(pk=open_episode.pk).update(last_value=measurement.value)
            return ""
        # Conditional, so of two evaluations resolving together only one announces it.
        if not AlertEpisode.objects.filter(pk=open_episode.pk, resolved_at__isnull=True).update(
            resolved_at=now, last_value=measurement.value
        ):
            return ""
        open_episode.resolved_at = now
        _notify(episode=open_episode, result="resolved")
        episode_id = open_episode.pk
        transaction.on_commit(lambda: _announce_resolved(episode_id, now))
        return "resolved"


def alerts_evaluate(*, now: datetime | None = None) -> dict[str, str]:
    """Evaluate every active rule (celery-beat, every minute); a failing rule does not stop the others."""
    now = now or timezone.now()
    outcomes: dict[str, str] = {}
    for rule in AlertRule.objects.filter(is_active=True).order_by("key"):
        try:
            outcomes[rule.key] = alert_rule_evaluate(rule=rule, now=now)
        except Exception:  # one broken measure must not silence the rules after it
            logger.exception("alert rule %s could not be evaluated", rule.key)
            outcomes[rule.key] = "error"
    return outcomes


def alert_webhook_body(*, episode: AlertEpisode, event: str) -> str:
    return json.dumps(
        {
            "type": f"alert.{event}",
            "data": {
                "episode_id": episode.pk,
                "rule_key": episode.rule.key,
                "severity": episode.severity,
                "title": episode.title,
                "value": episode.value,
                "threshold": episode.threshold,
                "started_at": episode.started_at.isoformat(),
                "resolved_at": episode.resolved_at.isoformat() if episode.resolved_at else None,
            },
        },
        separators=(",", ":"),
    )


def alert_webhook_deliver(*, episode_id: int, event: str) -> int | None:
    """POST the alert to ALERT_WEBHOOK_URL through the SSRF-guarded client, signed like our webhooks
    (Standard Webhooks headers, ALERT_WEBHOOK_SECRET). Returns the answer's status; a 5xx or no
    answer raises TransientError so the task is retried; the same webhook-id marks a retry."""
    url, secret = settings.ALERT_WEBHOOK_URL, settings.ALERT_WEBHOOK_SECRET
    episode = AlertEpisode.objects.select_related("rule").filter(pk=episode_id).first()
    if not url or episode is None:
        return None
    if not secret:
        logger.error("ALERT_WEBHOOK_URL is set without ALERT_WEBHOOK_SECRET: alerts are not sent unsigned")
        return None
    body = alert_webhook_body(episode=episode, event=event)
    headers = signed_headers(
        secrets_=[secret], message_id=f"alert-{episode.pk}-{event}", timestamp=int(time.time()), body=body
    )
    try:
        response = safe_http.post(
            url,
            body=body.encode(),
            headers={**headers, "Content-Type": "application/json"},
            timeout=ALERT_WEBHOOK_TIMEOUT_SECONDS,
        )
    except safe_http.RequestFailed as exc:
        raise TransientError(str(exc)) from exc
    if response.status >= 500:
        raise TransientError(f"alert webhook answered {response.status}")
    return response.status
