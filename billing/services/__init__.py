"""Billing writes, one function per flow, used by pages, the API, the admin, webhooks and tasks.

- `subscriptions`: checkout, start, cancel, resume, renew, mirror a provider's subscription;
- `payments`: our own invoices and providers' invoices;
- `offers`: coupons and credits (free months);
- `usage`: the metered-usage counter that monthly limits read.

The names are re-exported here so `from billing.services import subscription_start` keeps working.
"""

from billing.services.offers import coupon_issue, coupon_redeem, credit_grant
from billing.services.payments import invoice_paid_now, payment_record
from billing.services.subscriptions import (
    checkout_start,
    subscription_cancel,
    subscription_renew,
    subscription_resume,
    subscription_start,
    subscription_sync,
    subscriptions_renew_due,
)
from billing.services.usage import usage_record

__all__ = [
    "checkout_start",
    "coupon_issue",
    "coupon_redeem",
    "credit_grant",
    "invoice_paid_now",
    "payment_record",
    "subscription_cancel",
    "subscription_renew",
    "subscription_resume",
    "subscription_start",
    "subscription_sync",
    "subscriptions_renew_due",
    "usage_record",
]
