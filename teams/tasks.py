"""Thin task wrappers: load by id, call a service."""

from celery import shared_task

from teams import services


@shared_task(name="teams.email_send")
def email_send(email_id: int) -> None:
    services.email_deliver(email_id=email_id)


@shared_task(name="teams.emails_requeue_stale")
def emails_requeue_stale() -> int:
    # The outbox's one periodic sweep: send what got lost, forget what can no longer be sent.
    services.emails_erase_abandoned()
    return services.emails_requeue_stale()
