"""Billing writes for subscriptions: checkout, start, cancel, resume, renew, and mirroring a provider's.

Pages, the API, the admin, webhooks and the renewal task all come through here, so events
(user.subscribed, user.cancelled) are recorded once, in the transaction of the change.
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import Interval, Plan, Provider, Subscription
from billing.periods import next_period, period_end
from billing.providers import provider_for
from billing.selectors import upgrade_allowed
from billing.services.payments import invoice_paid_now
from config.errors import DomainError
from insights.event_names import EventName
from insights.events import record_event
from teams.models import User

logger = logging.getLogger(__name__)

Status = Subscription.Status


def _validate_interval(interval: str) -> None:
    if interval not in Interval.values:
        raise DomainError(_("Choose monthly or annual billing."), code="invalid_interval", field="interval")


def _live_subscription(user: User, *, lock: bool = False) -> Subscription | None:
    subscriptions = Subscription.objects.filter(user=user).live()
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
    if live is not None and not upgrade_allowed(subscription=live, provider_code=provider.code):
        raise DomainError(_already_subscribed_message(live), code="already_subscribed")
    result = provider.checkout(user=user, plan=plan, interval=interval, success_url=success_url, cancel_url=cancel_url)
    if result.subscribe_now:
        subscription_start(user=user, plan=plan, interval=interval, provider=provider.code)
    return result.url


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
    # A first subscription with a trial starts trialing until the trial's end; otherwise it is paid now.
    anchor = now + timedelta(days=plan.trial_days) if trial else now
    subscription = Subscription.objects.create(
        user=user,
        plan=plan,
        interval=interval,
        status=Status.TRIALING if trial else Status.ACTIVE,
        provider=provider,
        billing_anchor=anchor,
        current_period_start=now,
        current_period_end=anchor if trial else period_end(anchor=now, interval=interval),
    )
    record_event(
        name=EventName.USER_SUBSCRIBED,
        actor=user,
        subject=subscription,
        payload={"plan": plan.code, "interval": interval, "status": subscription.status, "provider": provider},
    )
    if not trial:
        invoice_paid_now(subscription=subscription, now=now)
    return subscription


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
        .live()
        .filter(pk=subscription_id, provider=Provider.MANUAL)
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
    invoice_paid_now(subscription=subscription, now=now)
    return subscription


def subscriptions_renew_due(*, now: datetime | None = None, batch: int = 500) -> int:
    """Renew or end every manual subscription whose period is over; returns how many changed."""
    now = now or timezone.now()
    due = (
        Subscription.objects.live()
        .filter(provider=Provider.MANUAL, current_period_end__lte=now)
        .values_list("pk", flat=True)[:batch]
    )
    changed = 0
    for subscription_id in list(due):
        # Several overdue periods are caught up one at a time, each with its own invoice.
        while subscription_renew(subscription_id=subscription_id, now=now) is not None:
            changed += 1
            still_due = Subscription.objects.live().filter(pk=subscription_id, current_period_end__lte=now).exists()
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
        others = [] if status == Status.CANCELED else Subscription.objects.filter(user=user).live()
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
