"""Thin task wrappers: load by id, call a service."""

from celery import shared_task
from django.core.cache import cache

from insights import services
from insights.services import monitoring, nps


# Its own queue (CELERY_TASK_ROUTES), so webhook traffic never waits behind renders or e-mail.
# Each request has a 15 s deadline and a drain stops taking new deliveries after 20 s; the time
# limits are a backstop for prefork workers (a threads pool cannot enforce them).
@shared_task(name="insights.webhook_deliver", time_limit=60, soft_time_limit=45)
def webhook_deliver(delivery_id: int) -> int:
    return services.webhook_deliveries_drain(delivery_id=delivery_id)


@shared_task(name="insights.webhook_deliveries_requeue_due")
def webhook_deliveries_requeue_due() -> int:
    # The outbox's periodic sweep: due retries, and deliveries lost on the way to the broker.
    return services.webhook_deliveries_requeue_due()


@shared_task(name="insights.health_history_record")
def health_history_record() -> int:
    # Every minute: fenced inside the service (one set of rows per minute, however many beats).
    written = monitoring.health_history_record()
    monitoring.route_timings_prune()
    return written


@shared_task(name="insights.alerts_evaluate")
def alerts_evaluate() -> dict[str, str]:
    return monitoring.alerts_evaluate()


@shared_task(name="insights.alert_webhook_send")
def alert_webhook_send(episode_id: int, event: str) -> int | None:
    return monitoring.alert_webhook_deliver(episode_id=episode_id, event=event)


@shared_task(name="insights.retrospective_send_weekly")
def retrospective_send_weekly() -> int:
    from insights.retrospective import retrospective_send

    return retrospective_send()


SNAPSHOT_LOCK = "insights:daily-snapshots-running"
SNAPSHOT_TIME_LIMIT = 1800


@shared_task(name="insights.daily_snapshots_build", time_limit=SNAPSHOT_TIME_LIMIT, soft_time_limit=1700)
def daily_snapshots_build() -> int:
    # Hourly: writes the finished days that have no snapshot yet (normally just yesterday) and
    # back-fills days missed while beat or the workers were down; a day already written is skipped.
    # One run at a time: a long back-fill overlapping the next hourly run makes that one leave at once
    # (rebuilding a day is harmless, but two runs would only compete for the same rows).
    if not cache.add(SNAPSHOT_LOCK, "1", timeout=SNAPSHOT_TIME_LIMIT):
        return 0
    try:
        return len(services.daily_snapshots_backfill())
    finally:
        cache.delete(SNAPSHOT_LOCK)


@shared_task(name="insights.nps_survey_emails_send")
def nps_survey_emails_send() -> int:
    # Hourly: each person due is claimed once per period by a conditional UPDATE, so a repeated or
    # overlapping run e-mails nobody twice.
    return nps.nps_survey_emails_send()


@shared_task(name="insights.status_update_notify")
def status_update_notify(update_id: int) -> int:
    from insights.services.status import status_update_notify as notify

    return notify(update_id=update_id)


@shared_task(name="insights.incidents_escalate")
def incidents_escalate() -> int:
    # Every minute: each step is sent once (a unique row per incident, step and clock).
    from insights.services.incidents import incidents_escalate as escalate

    return escalate()


@shared_task(name="insights.health_days_roll_up")
def health_days_roll_up() -> int:
    # Redoes the last two finished days, so a run missed at midnight is made up the next time.
    import datetime as dt

    from django.utils import timezone

    from insights.services.status import health_days_roll_up as roll_up

    today = timezone.now().astimezone(dt.UTC).date()
    return roll_up(since=today - dt.timedelta(days=2), until=today)


@shared_task(name="insights.page_views_flush")
def page_views_flush() -> int:
    from insights.page_views import page_views_flush as flush

    return flush()


@shared_task(name="insights.video_stats_fetch")
def video_stats_fetch() -> int:
    # Daily: every published post's lifetime counters become today's row (re-running replaces it).
    from datetime import timedelta

    from insights.engagement_models import engagement_today
    from insights.services.engagement import player_viewers_prune, video_stats_fetch_day

    # The player's per-visitor ledger is only needed for today's deduplication (a day's margin kept).
    player_viewers_prune(before=engagement_today() - timedelta(days=1))
    return video_stats_fetch_day().stored


@shared_task(name="insights.customer_profiles_recompute")
def customer_profiles_recompute() -> int:
    # Nightly: segments and tiers of everyone, in one statement.
    from insights.services.segments import customer_profiles_recompute as recompute

    return recompute()
