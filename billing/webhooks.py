"""Stripe webhook events: verified, processed once per event id, mirrored into our tables.

Handled: checkout.session.completed, customer.subscription.created/updated/deleted,
invoice.paid and invoice.payment_failed. Anything else is stored as seen and ignored. Events
may arrive in any order, so every handler fetches or syncs the subscription it needs.
"""

import json
import logging
from datetime import UTC, datetime
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction

from billing.models import (
    Coupon,
    CouponRedemption,
    Customer,
    Interval,
    Payment,
    Plan,
    Provider,
    Subscription,
    WebhookEvent,
)
from billing.providers.stripe import StripeProvider
from billing.services.payments import payment_record
from billing.services.subscriptions import subscription_sync
from teams.models import User

logger = logging.getLogger(__name__)

STATUS_MAP = {
    "trialing": Subscription.Status.TRIALING,
    "active": Subscription.Status.ACTIVE,
    "past_due": Subscription.Status.PAST_DUE,
    "unpaid": Subscription.Status.PAST_DUE,
    "canceled": Subscription.Status.CANCELED,
    "incomplete_expired": Subscription.Status.CANCELED,
    "paused": Subscription.Status.CANCELED,
}


class InvalidWebhook(Exception):
    """The request was not a genuine, readable Stripe event."""


def stripe_event_verify(*, payload: bytes, signature: str | None) -> dict[str, Any]:
    """Check Stripe's signature (and timestamp tolerance); return the event as plain data."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise InvalidWebhook("STRIPE_WEBHOOK_SECRET is not set")
    try:
        stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
        event = json.loads(payload)
    except (ValueError, stripe.SignatureVerificationError) as error:
        raise InvalidWebhook(str(error)) from error
    if not isinstance(event, dict) or not event.get("id") or not event.get("type"):
        raise InvalidWebhook("not an event")
    return event


@transaction.atomic
def stripe_event_process(*, event: dict[str, Any]) -> str:
    """Apply one verified event exactly once; a replayed id returns "duplicate" and changes nothing."""
    try:
        with transaction.atomic():
            record = WebhookEvent.objects.create(
                provider=Provider.STRIPE, event_id=event["id"], type=event["type"], payload=event
            )
    except IntegrityError:
        return "duplicate"
    handler = HANDLERS.get(event["type"])
    obj = event.get("data", {}).get("object", {})
    result = handler(obj) if handler else "ignored"
    record.result = result[:200]
    record.save(update_fields=["result"])
    return result


def _timestamp(value: int | None) -> datetime | None:
    return datetime.fromtimestamp(value, tz=UTC) if value else None


def _user_for(*, customer_id: str | None, metadata: dict[str, Any] | None = None) -> User | None:
    user_id = (metadata or {}).get("user_id")
    if user_id and str(user_id).isdigit():
        user = User.objects.filter(pk=int(user_id)).first()
        if user is not None:
            return user
    if customer_id:
        customer = Customer.objects.select_related("user").filter(provider="stripe", provider_customer_id=customer_id)
        first = customer.first()
        return first.user if first else None
    return None


def _plan_for_price(price_id: str) -> tuple[Plan, str] | None:
    for plan in Plan.objects.all():
        for interval in Interval.values:
            if price_id and plan.stripe_price(interval) == price_id:
                return plan, interval
    return None


def _sync_subscription(remote: dict[str, Any], *, user: User | None = None) -> Subscription | None:
    user = user or _user_for(customer_id=remote.get("customer"), metadata=remote.get("metadata"))
    status = STATUS_MAP.get(remote.get("status", ""))
    items = (remote.get("items") or {}).get("data") or []
    if user is None or status is None or not items:
        return None
    item = items[0]
    price = item.get("price") or {}
    found = _plan_for_price(price.get("id", ""))
    if found is None:
        logger.warning("Stripe subscription %s has an unknown price %s", remote.get("id"), price.get("id"))
        return None
    plan, interval = found
    # Since API version 2025-03-31 the period lives on the item; before, on the subscription.
    start = _timestamp(item.get("current_period_start") or remote.get("current_period_start"))
    end = _timestamp(item.get("current_period_end") or remote.get("current_period_end"))
    if start is None or end is None:
        return None
    return subscription_sync(
        user=user,
        plan=plan,
        interval=interval,
        provider=Provider.STRIPE,
        provider_subscription_id=remote["id"],
        status=status,
        period_start=start,
        period_end=end,
        cancel_at_period_end=bool(remote.get("cancel_at_period_end") or remote.get("cancel_at")),
    )


def _local_or_fetched(subscription_id: str, *, user: User | None = None) -> Subscription | None:
    local = Subscription.objects.select_related("plan", "user").filter(
        provider=Provider.STRIPE, provider_subscription_id=subscription_id
    )
    found = local.first()
    if found is not None:
        return found
    return _sync_subscription(StripeProvider().subscription_retrieve(subscription_id), user=user)


def _on_checkout_completed(session: dict[str, Any]) -> str:
    if session.get("mode") != "subscription" or not session.get("subscription"):
        return "ignored: not a subscription checkout"
    metadata = session.get("metadata") or {}
    user = _user_for(customer_id=session.get("customer"), metadata=metadata)
    if user is None and str(session.get("client_reference_id", "")).isdigit():
        user = User.objects.filter(pk=int(session["client_reference_id"])).first()
    if user is None:
        return "ignored: unknown customer"
    if session.get("customer"):
        Customer.objects.get_or_create(
            user=user, provider=Provider.STRIPE, defaults={"provider_customer_id": session["customer"]}
        )
    remote = StripeProvider().subscription_retrieve(session["subscription"])
    subscription = _sync_subscription(remote, user=user)
    redemption_id = metadata.get("coupon_redemption")
    if redemption_id and str(redemption_id).isdigit():
        CouponRedemption.objects.filter(
            pk=int(redemption_id), user=user, coupon__duration=Coupon.Duration.ONCE, invoices_applied=0
        ).update(invoices_applied=1)
    return f"subscription {subscription.pk}" if subscription else "ignored: subscription not usable"


def _on_subscription_changed(remote: dict[str, Any]) -> str:
    # Stripe does not deliver events in order: an old "updated" snapshot arriving after
    # "deleted" would bring a cancelled subscription back. Mirror Stripe's current state instead.
    current = StripeProvider().subscription_retrieve(remote["id"])
    subscription = _sync_subscription(current)
    return f"subscription {subscription.pk} {subscription.status}" if subscription else "ignored"


def _invoice_subscription_id(invoice: dict[str, Any]) -> str | None:
    if invoice.get("subscription"):
        return invoice["subscription"]
    details = ((invoice.get("parent") or {}).get("subscription_details")) or {}
    return details.get("subscription")


def _on_invoice(invoice: dict[str, Any], *, paid: bool) -> str:
    user = _user_for(customer_id=invoice.get("customer"))
    subscription_id = _invoice_subscription_id(invoice)
    subscription = _local_or_fetched(subscription_id, user=user) if subscription_id else None
    user = user or (subscription.user if subscription else None)
    if user is None:
        return "ignored: unknown customer"
    lines = (invoice.get("lines") or {}).get("data") or []
    period = lines[0].get("period", {}) if lines else {}
    discounts = invoice.get("total_discount_amounts") or []
    payment = payment_record(
        user=user,
        subscription=subscription,
        provider=Provider.STRIPE,
        provider_invoice_id=invoice["id"],
        amount_cents=invoice.get("amount_paid", 0) if paid else invoice.get("amount_due", 0),
        subtotal_cents=invoice.get("subtotal"),
        discount_cents=sum(d.get("amount", 0) for d in discounts),
        currency=invoice.get("currency", "usd"),
        status=Payment.Status.PAID if paid else Payment.Status.FAILED,
        period_start=_timestamp(period.get("start")),
        period_end=_timestamp(period.get("end")),
        description=(lines[0].get("description") or "")[:200] if lines else "",
    )
    return f"payment {payment.pk} {payment.status}"


HANDLERS = {
    "checkout.session.completed": _on_checkout_completed,
    "customer.subscription.created": _on_subscription_changed,
    "customer.subscription.updated": _on_subscription_changed,
    "customer.subscription.deleted": _on_subscription_changed,
    "invoice.paid": lambda invoice: _on_invoice(invoice, paid=True),
    "invoice.payment_failed": lambda invoice: _on_invoice(invoice, paid=False),
}
