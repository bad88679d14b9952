"""The built-in provider: upgrades take effect at once and invoices are settled without a card.

It is what the embedded default and the demo use, so the whole subscription lifecycle can be
tried without a Stripe account. Renewals are done by the `billing.subscriptions_renew_due` task.
"""

from billing.providers.base import CheckoutResult, PaymentProvider


class ManualProvider(PaymentProvider):
    code = "manual"

    def checkout(self, *, user, plan, interval, success_url, cancel_url):  # type: ignore[no-untyped-def]
        # No card to take: billing.services subscribes the person at once and sends them back.
        return CheckoutResult(url=success_url, subscribe_now=True)

    def cancel(self, *, subscription, immediately):  # type: ignore[no-untyped-def]
        return None  # nothing remote: our renewal task reads the local flag

    def resume(self, *, subscription):  # type: ignore[no-untyped-def]
        return None

    def apply_credit(self, *, subscription, amount_cents, description):  # type: ignore[no-untyped-def]
        return False  # billing.invoicing takes credits off our own next invoice
