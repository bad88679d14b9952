"""What the next invoice of a subscription costs: price, minus credits, minus a coupon.

Credits (free months) are used first, oldest first, one month per monthly invoice and up to
twelve per annual invoice; a coupon applies only to what is left, so a fully credited invoice
does not use up a one-time coupon. Of several redeemed coupons, the oldest still valid applies.
"""

from dataclasses import dataclass, field
from datetime import datetime

from billing.models import Coupon, CouponRedemption, Credit, Interval, Plan
from billing.periods import months_in


@dataclass
class InvoiceDraft:
    plan: Plan
    interval: str
    subtotal_cents: int
    credit_cents: int = 0
    discount_cents: int = 0
    redemption: CouponRedemption | None = None
    credit_months: list[tuple[Credit, int]] = field(default_factory=list)

    @property
    def amount_cents(self) -> int:
        return max(self.subtotal_cents - self.credit_cents - self.discount_cents, 0)

    @property
    def currency(self) -> str:
        return self.plan.currency


def redemption_applicable(redemption: CouponRedemption, *, at: datetime, currency: str | None = None) -> bool:
    """Whether a redeemed coupon still applies at `at` (to an invoice in `currency`, when given)."""
    coupon = redemption.coupon
    if currency is not None and coupon.amount_off_cents is not None and coupon.currency != currency:
        return False
    if coupon.duration == Coupon.Duration.ONCE:
        return redemption.invoices_applied == 0
    return redemption.valid_until is None or at < redemption.valid_until


def invoice_draft(*, user: object, plan: Plan, interval: str, at: datetime) -> InvoiceDraft:
    """The invoice `user` would get now for one `interval` of `plan` (reads only)."""
    draft = InvoiceDraft(plan=plan, interval=interval, subtotal_cents=plan.price_cents(interval))
    if draft.subtotal_cents == 0:
        return draft
    months_wanted = months_in(interval) if interval == Interval.YEAR else 1
    credits = Credit.objects.filter(user=user, plan=plan, months_remaining__gt=0).order_by("created_at", "pk")
    for credit in credits:
        if months_wanted == 0:
            break
        used = min(credit.months_remaining, months_wanted)
        draft.credit_months.append((credit, used))
        months_wanted -= used
    months_credited = sum(used for _credit, used in draft.credit_months)
    draft.credit_cents = min(months_credited * plan.monthly_price_cents, draft.subtotal_cents)
    remaining = draft.subtotal_cents - draft.credit_cents
    if remaining > 0:
        redemptions = CouponRedemption.objects.filter(user=user).select_related("coupon").order_by("redeemed_at")
        for redemption in redemptions:
            if redemption_applicable(redemption, at=at, currency=plan.currency):
                draft.redemption = redemption
                draft.discount_cents = redemption.coupon.discount_for(remaining)
                break
    return draft
