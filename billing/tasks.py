"""Thin task wrappers: load by id, call a service."""

from celery import shared_task

from billing import services


@shared_task(name="billing.subscriptions_renew_due")
def subscriptions_renew_due() -> int:
    return services.subscriptions_renew_due()


@shared_task(name="billing.subscription_renew")
def subscription_renew(subscription_id: int) -> None:
    services.subscription_renew(subscription_id=subscription_id)
