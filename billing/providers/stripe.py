"""Stripe: Checkout for upgrades, the customer portal, and remote cancel/resume/credit.

The local subscription only changes when Stripe tells us (webhooks, billing.webhooks), except
cancel/resume, which billing.services mirrors at once after Stripe accepted them.
"""

import contextlib
import logging
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import Customer, Plan, Subscription
from billing.providers.base import CheckoutResult, PaymentProvider, ProviderError
from teams.models import User

logger = logging.getLogger(__name__)


def stripe_client() -> stripe.StripeClient:
    """A Stripe client from settings; STRIPE_API_BASE points it elsewhere (tests, stripe-mock)."""
    if not settings.STRIPE_SECRET_KEY:
        raise ProviderError(_("Card payments are not configured on this server."), code="stripe_not_configured")
    options: dict[str, Any] = {"max_network_retries": 2}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **options)


def _call(description: str, function: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return function(*args, **kwargs)
    except stripe.StripeError as error:
        logger.warning("Stripe %s failed: %s", description, error)
        raise ProviderError() from error


def customer_id_for(user: User, client: stripe.StripeClient | None = None) -> str:
    """The user's Stripe customer id, creating the customer the first time."""
    existing = Customer.objects.filter(user=user, provider="stripe").values_list("provider_customer_id", flat=True)
    if existing:
        return existing[0]
    client = client or stripe_client()
    customer = _call(
        "customer create",
        client.v1.customers.create,
        params={"email": user.email, "name": user.name, "metadata": {"user_id": str(user.pk)}},
        # The same key for the same user: a retried request never makes a second customer.
        options={"idempotency_key": f"video-creator-customer-{user.pk}"},
    )
    # A concurrent request may have stored it first; both got the same customer from Stripe.
    with contextlib.suppress(IntegrityError), transaction.atomic():
        Customer.objects.create(user=user, provider="stripe", provider_customer_id=customer.id)
    return customer.id


class StripeProvider(PaymentProvider):
    code = "stripe"
    has_portal = True

    def checkout(self, *, user: User, plan: Plan, interval: str, success_url: str, cancel_url: str) -> CheckoutResult:
        from billing.invoicing import redemption_applicable

        price = plan.stripe_price(interval)
        if not price:
            raise ProviderError(_("This plan cannot be bought by card yet."), code="stripe_price_missing")
        client = stripe_client()
        metadata = {"user_id": str(user.pk), "plan": plan.code, "interval": interval}
        params: dict[str, Any] = {
            "mode": "subscription",
            "customer": customer_id_for(user, client),
            "client_reference_id": str(user.pk),
            "line_items": [{"price": price, "quantity": 1}],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "metadata": metadata,
            "subscription_data": {"metadata": metadata},
        }
        if plan.trial_days and not Subscription.objects.filter(user=user).exists():
            params["subscription_data"]["trial_period_days"] = plan.trial_days
        for redemption in user.coupon_redemptions.select_related("coupon").order_by("redeemed_at"):
            if redemption.coupon.stripe_coupon_id and redemption_applicable(
                redemption, at=timezone.now(), currency=plan.currency
            ):
                params["discounts"] = [{"coupon": redemption.coupon.stripe_coupon_id}]
                metadata["coupon_redemption"] = str(redemption.pk)
                break
        session = _call("checkout", client.v1.checkout.sessions.create, params=params)
        return CheckoutResult(url=session.url)

    def portal_url(self, *, user: User, return_url: str) -> str | None:
        client = stripe_client()
        session = _call(
            "portal",
            client.v1.billing_portal.sessions.create,
            params={"customer": customer_id_for(user, client), "return_url": return_url},
        )
        return session.url

    def cancel(self, *, subscription: Subscription, immediately: bool) -> None:
        client = stripe_client()
        if immediately:
            _call("cancel", client.v1.subscriptions.cancel, subscription.provider_subscription_id)
        else:
            _call(
                "cancel at period end",
                client.v1.subscriptions.update,
                subscription.provider_subscription_id,
                params={"cancel_at_period_end": True},
            )

    def resume(self, *, subscription: Subscription) -> None:
        _call(
            "resume",
            stripe_client().v1.subscriptions.update,
            subscription.provider_subscription_id,
            params={"cancel_at_period_end": False},
        )

    def apply_credit(self, *, subscription: Subscription, amount_cents: int, description: str) -> bool:
        client = stripe_client()
        # A negative customer balance is taken off the customer's next invoices by Stripe.
        _call(
            "credit",
            client.v1.customers.balance_transactions.create,
            customer_id_for(subscription.user, client),
            params={"amount": -amount_cents, "currency": subscription.plan.currency, "description": description},
        )
        return True

    def subscription_retrieve(self, subscription_id: str) -> dict[str, Any]:
        """The Stripe subscription as plain data."""
        remote = _call("subscription retrieve", stripe_client().v1.subscriptions.retrieve, subscription_id)
        return remote.to_dict()
