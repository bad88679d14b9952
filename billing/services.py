"""Billing writes: subscriptions, invoices and payments. One function per flow, used everywhere.

Pages, the API, the admin, webhooks and the renewal task all come through here, so events
(user.subscribed, user.cancelled, payment.succeeded, payment.failed) are recorded once, in
the transaction of the change. Coupons and credits live in `billing.offers`.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.emails import payment_failed_email_queue
from billing.invoicing import invoice_draft
from billing.models import Interval, Payment, Plan, Provider, Subscription
from billing.periods import next_period, period_end
from billing.providers import provider_for
from billing.signals import payment_succeeded_send_on_commit
from config.errors import DomainError
from insights.events import EventName, record_event
from teams.models import User

logger = logging.getLogger(__name__)

Status = Subscription.Status


def _validate_interval(interval: str) -> None:
    if interval not in Interval.values:
        raise DomainError(_("Choose monthly or annual billing."), code="invalid_interval", field="interval")


def _live_subscription(user: User, *, lock: bool = False) -> Subscription | None:
    subscriptions = Subscription.objects.filter(user=user, status__in=Subscription.LIVE_STATUSES)
    if lock:
        subscriptions = subscriptions.select_for_update()
    return subscriptions.select_related("plan").first()


def _already_subscribed_message(live: Subscription) -> str:
    if live.cancel_at_period_end:
        return _("You already have a subscription that is set to end. Resume it on the billing page instead.")
    return _("You already have a subscription.")


def checkout_start(*, user: User, plan: Plan, interval: str, success_url: str, cancel_url: str) -> str:
    """Start an upgrade with the configured provider; returns the URL to send the person to."""
    _validate_interval(interval)
    if plan.is_free or not plan.is_public:
        raise DomainError(_("This plan cannot be bought."), code="plan_not_for_sale", field="plan")
    provider = provider_for()
    live = _live_subscription(user)
    if live is not None:
        # A free-credit month kept by the manual provider gives way to a paid provider's subscription.
        replaceable = live.provider == Provider.MANUAL and live.cancel_at_period_end and provider.code != live.provider
        if not replaceable:
            raise DomainError(_already_subscribed_message(live), code="already_subscribed")
    return provider.checkout(user=user, plan=plan, interval=interval, success_url=success_url, cancel_url=cancel_url)


@transaction.atomic
def subscription_start(
    *, user: User, plan: Plan, interval: str, provider: str = Provider.MANUAL, now: datetime | None = None
) -> Subscription:
    """Subscribe an account at once (the manual provider): trial, or the first invoice paid now."""
    _validate_interval(interval)
    if plan.is_free:
        raise DomainError(_("This plan cannot be bought."), code="plan_not_for_sale", field="plan")
    now = now or timezone.now()
    User.objects.select_for_update().filter(pk=user.pk).first()  # one checkout at a time per account
    live = _live_subscription(user, lock=True)
    if live is not None:
        raise DomainError(_already_subscribed_message(live), code="already_subscribed")
    trial = plan.trial_days and not Subscription.objects.filter(user=user).exists()
    if trial:
        anchor = now + timedelta(days=plan.trial_days)
        subscription = Subscription.objects.create(
            user=user,
            plan=plan,
            interval=interval,
            status=Status.TRIALING,
            provider=provider,
            billing_anchor=anchor,
            current_period_start=now,
            current_period_end=anchor,
        )
    else:
        subscription = Subscription.objects.create(
            user=user,
            plan=plan,
            interval=interval,
            status=Status.ACTIVE,
            provider=provider,
            billing_anchor=now,
            current_period_start=now,
            current_period_end=period_end(anchor=now, interval=interval),
        )
    record_event(
        name=EventName.USER_SUBSCRIBED,
        actor=user,
        subject=subscription,
        payload={"plan": plan.code, "interval": interval, "status": subscription.status, "provider": provider},
    )
    if not trial:
        _invoice_paid_now(subscription, now=now)
    return subscription


def _invoice_paid_now(subscription: Subscription, *, now: datetime) -> Payment:
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


def _cancel_event(subscription: Subscription, *, actor: object, immediately: bool) -> None:
    # The subscriber is the actor of "user.cancelled" even when staff cancelled for them.
    record_event(
        name=EventName.USER_CANCELLED,
        actor=subscription.user,
        subject=subscription,
        payload={
            "plan": subscription.plan.code,
            "immediately": immediately,
            "ends_at": subscription.current_period_end.isoformat(),
            "by_staff": getattr(actor, "pk", None) != subscription.user_id,
        },
    )


def _end(subscription: Subscription, *, at: datetime, reason: str) -> None:
    subscription.status = Status.CANCELED
    subscription.ended_at = at
    subscription.canceled_at = subscription.canceled_at or at
    subscription.save(update_fields=["status", "ended_at", "canceled_at", "updated_at"])
    logger.info("Subscription %s ended (%s)", subscription.pk, reason)


@transaction.atomic
def subscription_cancel(*, subscription: Subscription, actor: object, immediately: bool = False) -> Subscription:
    """Cancel at the end of the paid period (default) or right away (staff); data is kept either way."""
    subscription = Subscription.objects.select_for_update().select_related("plan", "user").get(pk=subscription.pk)
    if not subscription.is_live:
        raise DomainError(_("This subscription has already ended."), code="not_live")
    if subscription.cancel_at_period_end and not immediately:
        raise DomainError(_("This subscription is already set to end."), code="already_cancelled")
    was_cancelling = subscription.cancel_at_period_end
    provider_for(subscription.provider).cancel(subscription=subscription, immediately=immediately)
    now = timezone.now()
    subscription.canceled_at = now
    if immediately:
        subscription.cancel_at_period_end = False
        subscription.save(update_fields=["canceled_at", "cancel_at_period_end", "updated_at"])
        _end(subscription, at=now, reason="cancelled immediately")
    else:
        subscription.cancel_at_period_end = True
        subscription.save(update_fields=["canceled_at", "cancel_at_period_end", "updated_at"])
    if not was_cancelling:
        _cancel_event(subscription, actor=actor, immediately=immediately)
    return subscription


@transaction.atomic
def subscription_resume(*, subscription: Subscription, actor: object) -> Subscription:
    """Undo a cancellation at period end while the period is still running."""
    subscription = Subscription.objects.select_for_update().select_related("plan").get(pk=subscription.pk)
    if not subscription.is_live or not subscription.cancel_at_period_end:
        raise DomainError(_("Only a subscription set to end can be resumed."), code="not_cancelling")
    provider_for(subscription.provider).resume(subscription=subscription)
    subscription.cancel_at_period_end = False
    subscription.canceled_at = None
    subscription.save(update_fields=["cancel_at_period_end", "canceled_at", "updated_at"])
    return subscription


@transaction.atomic
def subscription_renew(*, subscription_id: int, now: datetime | None = None) -> Subscription | None:
    """Close a manual subscription's period that is over: end it, or invoice and start the next one."""
    now = now or timezone.now()
    subscription = (
        Subscription.objects.select_for_update(skip_locked=True)
        .select_related("plan", "user")
        .filter(pk=subscription_id, provider=Provider.MANUAL, status__in=Subscription.LIVE_STATUSES)
        .first()
    )
    if subscription is None or subscription.current_period_end > now:
        return None  # claimed by another worker, not ours to renew, or not due (idempotent)
    if subscription.cancel_at_period_end:
        _end(subscription, at=subscription.current_period_end, reason="period over")
        return subscription
    start, end = next_period(
        anchor=subscription.billing_anchor, interval=subscription.interval, current_end=subscription.current_period_end
    )
    subscription.current_period_start, subscription.current_period_end = start, end
    subscription.status = Status.ACTIVE
    subscription.past_due_since = None
    subscription.save(
        update_fields=["current_period_start", "current_period_end", "status", "past_due_since", "updated_at"]
    )
    _invoice_paid_now(subscription, now=now)
    return subscription


def subscriptions_renew_due(*, now: datetime | None = None, batch: int = 500) -> int:
    """Renew or end every manual subscription whose period is over; returns how many changed."""
    now = now or timezone.now()
    due = Subscription.objects.filter(
        provider=Provider.MANUAL, status__in=Subscription.LIVE_STATUSES, current_period_end__lte=now
    ).values_list("pk", flat=True)[:batch]
    changed = 0
    for subscription_id in list(due):
        # Several overdue periods are caught up one at a time, each with its own invoice.
        while subscription_renew(subscription_id=subscription_id, now=now) is not None:
            changed += 1
            still_due = Subscription.objects.filter(
                pk=subscription_id, status__in=Subscription.LIVE_STATUSES, current_period_end__lte=now
            ).exists()
            if not still_due:
                break
    return changed


@transaction.atomic
def subscription_sync(
    *,
    user: User,
    plan: Plan,
    interval: str,
    provider: str,
    provider_subscription_id: str,
    status: str,
    period_start: datetime,
    period_end: datetime,
    cancel_at_period_end: bool,
) -> Subscription:
    """Mirror a provider's subscription (Stripe webhooks); records subscribe/cancel events on change."""
    now = timezone.now()
    subscription = (
        Subscription.objects.select_for_update()
        .filter(provider=provider, provider_subscription_id=provider_subscription_id)
        .first()
    )
    is_new = subscription is None
    if is_new:
        others = (
            []
            if status == Status.CANCELED
            else Subscription.objects.filter(user=user, status__in=Subscription.LIVE_STATUSES)
        )
        for other in others:
            _end(other, at=now, reason="replaced by provider subscription")
        subscription = Subscription(
            user=user,
            provider=provider,
            provider_subscription_id=provider_subscription_id,
            billing_anchor=period_start,
            created_at=now,
        )
    was_live = not is_new and subscription.is_live
    was_cancelling = not is_new and subscription.cancel_at_period_end
    subscription.plan = plan
    subscription.interval = interval
    subscription.current_period_start = period_start
    subscription.current_period_end = period_end
    subscription.cancel_at_period_end = cancel_at_period_end
    if status == Status.PAST_DUE and subscription.status != Status.PAST_DUE:
        subscription.past_due_since = now
    elif status != Status.PAST_DUE:
        subscription.past_due_since = None
    subscription.status = status
    if cancel_at_period_end and not was_cancelling:
        subscription.canceled_at = now
    if status == Status.CANCELED:
        subscription.ended_at = subscription.ended_at or now
        subscription.canceled_at = subscription.canceled_at or now
    subscription.save()
    if subscription.is_live and not was_live:
        record_event(
            name=EventName.USER_SUBSCRIBED,
            actor=user,
            subject=subscription,
            payload={"plan": plan.code, "interval": interval, "status": status, "provider": provider},
        )
    if (cancel_at_period_end and not was_cancelling) or (status == Status.CANCELED and was_live and not was_cancelling):
        _cancel_event(subscription, actor=user, immediately=status == Status.CANCELED)
    return subscription


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
