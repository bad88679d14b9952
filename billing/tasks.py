"""Thin task wrappers: load by id, call a service."""

from celery import shared_task

from billing.services import subscriptions


@shared_task(name="billing.subscriptions_renew_due")
def subscriptions_renew_due() -> int:
    return subscriptions.subscriptions_renew_due()


@shared_task(name="billing.subscription_renew")
def subscription_renew(subscription_id: int) -> None:
    subscriptions.subscription_renew(subscription_id=subscription_id)
