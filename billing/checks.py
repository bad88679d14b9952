"""System checks: a misconfigured payment provider is reported at start-up, not at checkout."""

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register


@register()
def billing_provider_check(app_configs: Any = None, **kwargs: Any) -> list:
    """BILLING_PROVIDER must be known; Stripe needs its secret key and webhook secret."""
    provider = settings.BILLING_PROVIDER
    if provider not in ("manual", "stripe"):
        return [
            Error(
                f"BILLING_PROVIDER is {provider!r}.",
                hint="Use 'manual' (built in) or 'stripe'.",
                id="billing.E001",
            )
        ]
    problems = []
    if provider == "stripe":
        for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"):
            if not getattr(settings, name):
                problems.append(
                    Warning(
                        f"BILLING_PROVIDER is 'stripe' but {name} is not set.",
                        hint="Set it in the environment; without it upgrades or webhooks fail.",
                        id="billing.W001",
                    )
                )
    return problems


@register(deploy=True)
def billing_provider_deploy_check(app_configs: Any = None, **kwargs: Any) -> list:
    """In a deployment the built-in manual provider would hand out paid plans for free."""
    if settings.BILLING_PROVIDER == "manual":
        return [
            Warning(
                "BILLING_PROVIDER is 'manual': anyone can upgrade without paying.",
                hint="Use 'stripe' in production.",
                id="billing.W002",
            )
        ]
    return []
