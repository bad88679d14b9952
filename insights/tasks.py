"""Thin task wrappers: load by id, call a service."""

from celery import shared_task

from insights import services


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
