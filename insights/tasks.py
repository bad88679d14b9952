"""Thin task wrappers: load by id, call a service."""

from celery import shared_task

from insights import services
from insights.services import nps


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


@shared_task(name="insights.nps_survey_emails_send")
def nps_survey_emails_send() -> int:
    # Hourly: each person due is claimed once per period by a conditional UPDATE, so a repeated or
    # overlapping run e-mails nobody twice.
    return nps.nps_survey_emails_send()
