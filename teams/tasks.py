"""Thin task wrappers: load by id, call a service."""

from celery import shared_task

from config.celery import TransientError
from teams import services
from teams.services.push import PushTransient


@shared_task(name="teams.email_send")
def email_send(email_id: int) -> None:
    services.email_deliver(email_id=email_id)


@shared_task(name="teams.emails_requeue_stale")
def emails_requeue_stale() -> int:
    # The outbox's one periodic sweep: send what got lost, forget what can no longer be sent.
    services.emails_erase_abandoned()
    return services.emails_requeue_stale()


@shared_task(name="teams.push_deliver", bind=True, time_limit=60, soft_time_limit=45)
def push_deliver(self, delivery_id: int) -> str:
    # The last retry fails the delivery instead of raising, so none stays pending for ever.
    last_try = self.request.retries >= self.max_retries
    try:
        return services.push_delivery_attempt(delivery_id=delivery_id, last_try=last_try)
    except PushTransient as exc:
        raise TransientError(str(exc)) from exc


@shared_task(name="teams.push_deliveries_requeue_stale")
def push_deliveries_requeue_stale() -> tuple[int, int]:
    # Pushes lost on the way to the broker are sent; ones older than any TTL are failed.
    return services.push_deliveries_requeue_stale()
