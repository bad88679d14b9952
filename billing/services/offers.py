"""Billing writes for offers, coupons and credits: what the billing page, the admin and referrals call.

- A coupon is redeemed once per account and then discounts the account's invoices: the next
  one (duration "once") or every one for N months after redemption ("repeating"). It can have
  a redemption limit and an expiry date.
- A credit is N free months of a plan (Pro by default). An account without a subscription gets
  them at once: a Pro subscription for N months that ends by itself unless the person resumes
  it. An account already subscribed gets them on its next invoices (one month per monthly
  invoice; our own invoicing, or a negative customer balance at Stripe).

For the referral programme: connect to `billing.signals.payment_succeeded`; when `first` is true
for a referee, call `credit_grant(user=referrer, months=1, reason=...)` (one free month of Pro).
No open-ended coupon is seeded: a referee's discount is a coupon issued to that one account
(`coupon_issue`), single use and already redeemed, so there is no code anyone else could type.
"""

import secrets
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import Coupon, CouponRedemption, Credit, Interval, Payment, Plan, Provider, Subscription
from billing.providers import provider_for
from config.errors import DomainError
from teams.models import User


def _coupon_error(message: str, code: str) -> DomainError:
    return DomainError(message, code=code, field="code")


@transaction.atomic
def coupon_redeem(*, user: User, code: str, now: datetime | None = None) -> CouponRedemption:
    """Redeem a coupon code for the account; its discount applies to the coming invoices."""
    now = now or timezone.now()
    coupon = Coupon.objects.select_for_update().filter(code__iexact=code.strip()).first()
    if coupon is None or not coupon.is_active:
        raise _coupon_error(_("This coupon code is not valid."), "coupon_invalid")
    if coupon.redeem_by is not None and coupon.redeem_by <= now:
        raise _coupon_error(_("This coupon has expired."), "coupon_expired")
    if coupon.max_redemptions is not None and coupon.times_redeemed >= coupon.max_redemptions:
        raise _coupon_error(_("This coupon has been used up."), "coupon_used_up")
    if CouponRedemption.objects.filter(coupon=coupon, user=user).exists():
        raise _coupon_error(_("You have already used this coupon."), "coupon_already_redeemed")
    valid_until = None
    if coupon.duration == Coupon.Duration.REPEATING:
        valid_until = now + relativedelta(months=coupon.duration_in_months or 1)
    redemption = CouponRedemption.objects.create(coupon=coupon, user=user, redeemed_at=now, valid_until=valid_until)
    Coupon.objects.filter(pk=coupon.pk).update(times_redeemed=F("times_redeemed") + 1)
    return redemption


# No 0/O, 1/I/L: a code read aloud or copied by hand comes out right.
COUPON_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


@transaction.atomic
def coupon_issue(
    *,
    user: User,
    name: str,
    percent_off: int,
    code_prefix: str = "GIFT",
    stripe_coupon_id: str = "",
    now: datetime | None = None,
) -> CouponRedemption:
    """Issue a single-use coupon to one account and redeem it for them (its next invoice is discounted)."""
    if not 1 <= percent_off <= 100:
        raise DomainError(_("Give a percentage between 1 and 100."), code="invalid_percent", field="percent_off")
    now = now or timezone.now()
    # 31**12 codes: unguessable, and a collision (which the unique code would refuse) is not a worry.
    code = f"{code_prefix}-" + "".join(secrets.choice(COUPON_CODE_ALPHABET) for _i in range(12))
    coupon = Coupon.objects.create(
        code=code,
        name=name[:100],
        percent_off=percent_off,
        duration=Coupon.Duration.ONCE,
        max_redemptions=1,
        times_redeemed=1,
        stripe_coupon_id=stripe_coupon_id,
        created_at=now,
    )
    return CouponRedemption.objects.create(coupon=coupon, user=user, redeemed_at=now)


@transaction.atomic
def coupon_deactivate(*, coupons: QuerySet[Coupon]) -> int:
    """Stop the coupons being redeemed; redemptions already made keep their discount. Returns how many stopped."""
    return coupons.filter(is_active=True).update(is_active=False)


def _best_paid_plan() -> Plan:
    plan = Plan.objects.filter(is_public=True, monthly_price_cents__gt=0).order_by("-rank").first()
    if plan is None:
        raise DomainError(_("There is no paid plan to give credit for."), code="no_paid_plan")
    return plan


@transaction.atomic
def credit_grant(
    *,
    user: User,
    months: int = 1,
    reason: str,
    granted_by: User | None = None,
    plan: Plan | None = None,
    now: datetime | None = None,
) -> Credit:
    """Give the account `months` free months of `plan` (default: the best paid plan, i.e. Pro)."""
    if months < 1:
        raise DomainError(_("Grant at least one month."), code="invalid_months", field="months")
    now = now or timezone.now()
    plan = plan or _best_paid_plan()
    User.objects.select_for_update().filter(pk=user.pk).first()  # serialise with checkouts
    credit = Credit.objects.create(
        user=user,
        plan=plan,
        months=months,
        months_remaining=months,
        reason=reason,
        granted_by=granted_by,
        created_at=now,
    )
    live = Subscription.objects.select_for_update().filter(user=user).live().first()
    value_cents = months * plan.monthly_price_cents
    if live is None:
        _credit_subscription_start(credit, now=now, value_cents=value_cents)
    elif provider_for(live.provider).apply_credit(
        subscription=live, amount_cents=value_cents, description=str(_("Free months: %(reason)s") % {"reason": reason})
    ):
        credit.months_remaining = 0
        credit.used_up_at = now
        credit.save(update_fields=["months_remaining", "used_up_at"])
    return credit


def _credit_subscription_start(credit: Credit, *, now: datetime, value_cents: int) -> None:
    # Ends by itself after the free months (cancel_at_period_end); "Resume" keeps it, paid.
    end = now + relativedelta(months=credit.months)
    subscription = Subscription.objects.create(
        user=credit.user,
        plan=credit.plan,
        interval=Interval.MONTH,
        status=Subscription.Status.ACTIVE,
        provider=Provider.MANUAL,
        billing_anchor=now,
        current_period_start=now,
        current_period_end=end,
        cancel_at_period_end=True,
    )
    Payment.objects.create(
        user=credit.user,
        subscription=subscription,
        plan=credit.plan,
        description=str(_("%(plan)s · free months") % {"plan": credit.plan.name}),
        subtotal_cents=value_cents,
        credit_cents=value_cents,
        amount_cents=0,
        currency=credit.plan.currency,
        status=Payment.Status.PAID,
        provider=Provider.MANUAL,
        period_start=now,
        period_end=end,
        attempts=1,
        created_at=now,
        paid_at=now,
    )
    credit.months_remaining = 0
    credit.used_up_at = now
    credit.save(update_fields=["months_remaining", "used_up_at"])
