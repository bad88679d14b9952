"""Billing writes for invoices and payments: our own invoices, and providers' invoices mirrored.

Each payment records payment.succeeded or payment.failed once, in the transaction of the change;
a first payment of money also sends `billing.signals.payment_succeeded` once committed.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from billing.emails import payment_failed_email_queue
from billing.invoicing import invoice_draft
from billing.models import Payment, Subscription
from billing.signals import payment_succeeded_send_on_commit
from insights.event_names import EventName
from insights.events import record_event
from teams.models import User

Status = Subscription.Status


def invoice_paid_now(*, subscription: Subscription, now: datetime) -> Payment:
    """Invoice the subscription's current period and settle it (manual provider: no card)."""
    # Coupons are judged at the period's start, so late (caught-up) renewals bill what was due then.
    draft = invoice_draft(
        user=subscription.user,
        plan=subscription.plan,
        interval=subscription.interval,
        at=subscription.current_period_start,
    )
    for credit, months in draft.credit_months:
        credit.months_remaining -= months
        credit.used_up_at = now if credit.months_remaining == 0 else None
        credit.save(update_fields=["months_remaining", "used_up_at"])
    if draft.redemption is not None and draft.discount_cents:
        draft.redemption.invoices_applied += 1
        draft.redemption.save(update_fields=["invoices_applied"])
    payment = Payment.objects.create(
        user=subscription.user,
        subscription=subscription,
        plan=subscription.plan,
        description=f"{subscription.plan.name} · {subscription.get_interval_display()}",
        subtotal_cents=draft.subtotal_cents,
        discount_cents=draft.discount_cents,
        credit_cents=draft.credit_cents,
        amount_cents=draft.amount_cents,
        currency=draft.currency,
        status=Payment.Status.PAID,
        provider=subscription.provider,
        period_start=subscription.current_period_start,
        period_end=subscription.current_period_end,
        attempts=1,
        created_at=now,
        paid_at=now,
    )
    _payment_event(payment)
    return payment


def _payment_event(payment: Payment) -> None:
    paid = payment.status == Payment.Status.PAID
    if paid and payment.amount_cents > 0:
        earlier = Payment.objects.filter(user_id=payment.user_id, status=Payment.Status.PAID, amount_cents__gt=0)
        payment_succeeded_send_on_commit(payment=payment, first=not earlier.exclude(pk=payment.pk).exists())
    name = EventName.PAYMENT_SUCCEEDED if paid else EventName.PAYMENT_FAILED
    record_event(
        name=name,
        actor=payment.user,
        subject=payment,
        payload={
            "amount_cents": payment.amount_cents,
            "currency": payment.currency,
            "plan": payment.plan.code if payment.plan else None,
            "provider": payment.provider,
        },
    )


@transaction.atomic
def payment_record(
    *,
    user: User,
    subscription: Subscription | None,
    provider: str,
    provider_invoice_id: str,
    amount_cents: int,
    currency: str,
    status: str,
    subtotal_cents: int | None = None,
    discount_cents: int = 0,
    period_start: datetime | None = None,
    period_end: datetime | None = None,
    description: str = "",
) -> Payment:
    """Record a provider invoice's outcome; a failure makes the subscription past_due, a success active."""
    now = timezone.now()
    payment, _created = Payment.objects.select_for_update().get_or_create(
        provider=provider,
        provider_invoice_id=provider_invoice_id,
        defaults={
            "user": user,
            "subscription": subscription,
            "plan": subscription.plan if subscription else None,
            "description": description,
            "subtotal_cents": amount_cents if subtotal_cents is None else subtotal_cents,
            "discount_cents": discount_cents,
            "amount_cents": amount_cents,
            "currency": currency,
            "status": Payment.Status.OPEN,
            "period_start": period_start,
            "period_end": period_end,
            "created_at": now,
        },
    )
    if payment.status == Payment.Status.PAID:
        return payment  # a paid invoice stays paid; a late failure notice changes nothing
    payment.status = status
    payment.amount_cents = amount_cents
    payment.attempts += 1
    payment.paid_at = now if status == Payment.Status.PAID else None
    payment.save(update_fields=["status", "amount_cents", "attempts", "paid_at"])
    _payment_event(payment)
    if subscription is not None and subscription.is_live:
        if status == Payment.Status.FAILED and subscription.status != Status.PAST_DUE:
            subscription.status = Status.PAST_DUE
            subscription.past_due_since = now
            subscription.save(update_fields=["status", "past_due_since", "updated_at"])
            payment_failed_email_queue(payment=payment)
        elif status == Payment.Status.PAID and subscription.status == Status.PAST_DUE:
            subscription.status = Status.ACTIVE
            subscription.past_due_since = None
            subscription.save(update_fields=["status", "past_due_since", "updated_at"])
    return payment
