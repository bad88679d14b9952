"""Billing reads for pages and the API."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import BigIntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from billing import limits
from billing.invoicing import InvoiceDraft, invoice_draft, redemption_applicable
from billing.models import CouponRedemption, Credit, Payment, Plan, Provider, Subscription
from teams.models import User


def plan_list_public() -> QuerySet[Plan]:
    """Plans shown on the pricing page, cheapest first."""
    return Plan.objects.filter(is_public=True).order_by("rank")


def payment_list_for_user(*, user: User) -> QuerySet[Payment]:
    """The user's invoices and payments, newest first."""
    return Payment.objects.filter(user=user).select_related("plan").order_by("-created_at", "-id")


def credit_list_for_user(*, user: User) -> QuerySet[Credit]:
    return Credit.objects.filter(user=user).select_related("plan").order_by("-created_at")


@dataclass
class BillingOverview:
    plan: Plan | None
    subscription: Subscription | None
    next_invoice: InvoiceDraft | None
    next_invoice_at: datetime | None
    redemptions: list[CouponRedemption]
    credits_pending_months: int


def subscription_live_for_user(*, user: User) -> Subscription | None:
    """The user's trialing, active or past_due subscription (even past the grace period), if any."""
    return Subscription.objects.filter(user=user).live().select_related("plan").first()


def upgrade_allowed(*, subscription: Subscription | None, provider_code: str) -> bool:
    """Whether an account with this live subscription (or none) may buy a plan from `provider_code`."""
    if subscription is None:
        return True
    # A free-credit month kept by the manual provider (set to end) gives way to a paid provider's
    # subscription; any other live subscription is changed in place (resume, portal), not bought again.
    return (
        subscription.provider == Provider.MANUAL
        and subscription.cancel_at_period_end
        and provider_code != subscription.provider
    )


def billing_overview_for_user(*, user: User) -> BillingOverview:
    """What the billing page shows: the plan, the subscription and what the next invoice will be."""
    subscription = subscription_live_for_user(user=user)
    plan = limits.plan_for(user)  # the plan in force: Free once a past_due grace period is over
    next_invoice = None
    next_invoice_at = None
    if subscription is not None and not subscription.cancel_at_period_end:
        next_invoice_at = subscription.current_period_end
        next_invoice = invoice_draft(
            user=user, plan=subscription.plan, interval=subscription.interval, at=subscription.current_period_end
        )
    now = timezone.now()
    redemptions = [
        redemption
        for redemption in CouponRedemption.objects.filter(user=user).select_related("coupon")
        if redemption_applicable(redemption, at=now)
    ]
    pending = sum(Credit.objects.filter(user=user, months_remaining__gt=0).values_list("months_remaining", flat=True))
    return BillingOverview(
        plan=plan,
        subscription=subscription,
        next_invoice=next_invoice,
        next_invoice_at=next_invoice_at,
        redemptions=redemptions,
        credits_pending_months=pending,
    )


def paying_subscriber_count(*, joined_after: datetime | None = None) -> int:
    """People with a live subscription to a paid plan (optionally only those who joined after a time)."""
    queryset = Subscription.objects.live().filter(
        Q(plan__monthly_price_cents__gt=0) | Q(plan__annual_price_cents__gt=0)
    )
    if joined_after is not None:
        queryset = queryset.filter(user__date_joined__gte=joined_after)
    return queryset.values("user_id").distinct().count()


def revenue_cents_between(*, since: datetime, until: datetime) -> int:
    """What was paid (invoices marked paid, after discounts and credits) in [since, until), in cents."""
    total = Payment.objects.filter(status=Payment.Status.PAID, paid_at__gte=since, paid_at__lt=until).aggregate(
        total=Sum("amount_cents")
    )["total"]
    return int(total or 0)


def subscriptions_on_paid_plan_in_force(*, now: datetime) -> QuerySet[Subscription]:
    """Subscriptions to a paid plan that decide their account's plan at `now`: `limits._in_force` as
    one query, for set-based questions ("everyone on Pro") that cannot ask account by account."""
    grace_start = now - timedelta(days=settings.BILLING_PAST_DUE_GRACE_DAYS)
    return (
        Subscription.objects.live()
        .filter(Q(plan__monthly_price_cents__gt=0) | Q(plan__annual_price_cents__gt=0))
        .exclude(cancel_at_period_end=True, current_period_end__lte=now)
        .annotate(past_due_from=Coalesce("past_due_since", "current_period_end"))
        .exclude(status=Subscription.Status.PAST_DUE, past_due_from__lte=grace_start)
    )


def lifetime_value_cents_for_users(*, user_ref: str = "pk") -> Coalesce:
    """Paid payments' amounts summed per person, as an expression to annotate a user queryset with.

    One correlated subquery (billing_payment's user index), so a segment recompute stays one statement.
    """
    paid = (
        Payment.objects.filter(user=OuterRef(user_ref), status=Payment.Status.PAID)
        .order_by()
        .values("user")
        .annotate(total=Sum("amount_cents"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(paid, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField())
