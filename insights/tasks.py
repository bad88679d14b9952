"""Thin task wrappers: load by id, call a service."""

from celery import shared_task

from insights import services


# Its own queue (CELERY_TASK_ROUTES), so webhook traffic never waits behind renders or e-mail;
# a hard time limit above the request's 15 s timeout frees a slot held by a stuck connection.
@shared_task(name="insights.webhook_deliver", time_limit=60, soft_time_limit=45)
def webhook_deliver(delivery_id: int) -> str:
    return services.webhook_delivery_attempt(delivery_id=delivery_id)


@shared_task(name="insights.webhook_deliveries_requeue_due")
def webhook_deliveries_requeue_due() -> int:
    # The outbox's periodic sweep: due retries, and deliveries lost on the way to the broker.
    return services.webhook_deliveries_requeue_due()
