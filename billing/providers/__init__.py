"""Payment providers behind one interface; `BILLING_PROVIDER` picks the one new upgrades use."""

from django.conf import settings

from billing.providers.base import PaymentProvider


def provider_for(code: str | None = None) -> PaymentProvider:
    """The provider named `code`, or the configured one (settings.BILLING_PROVIDER)."""
    from billing.providers.manual import ManualProvider
    from billing.providers.stripe import StripeProvider

    providers: dict[str, type[PaymentProvider]] = {"manual": ManualProvider, "stripe": StripeProvider}
    code = code or settings.BILLING_PROVIDER
    if code not in providers:
        raise ValueError(f"Unknown billing provider {code!r}; use 'manual' or 'stripe'.")
    return providers[code]()
