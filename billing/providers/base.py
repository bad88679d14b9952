"""What a payment provider must do for us. Local state changes stay in billing.services.

Providers never call the services (the services call them): what a provider wants done here
comes back as a result, e.g. `CheckoutResult.subscribe_now`.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from config.errors import DomainError

if TYPE_CHECKING:
    from billing.models import Plan, Subscription
    from teams.models import User


@dataclass(frozen=True)
class CheckoutResult:
    """Where to send the person next, and whether billing should subscribe them at once."""

    url: str
    # True when the provider takes no payment of its own (the manual provider): the checkout
    # service starts the subscription locally before sending the person to `url`.
    subscribe_now: bool = False


class PaymentProvider(ABC):
    code: str
    # Whether the provider has its own customer portal (cards, invoices, tax ids).
    has_portal: bool = False

    @abstractmethod
    def checkout(
        self, *, user: "User", plan: "Plan", interval: str, success_url: str, cancel_url: str
    ) -> CheckoutResult:
        """Begin buying `plan`; say where to send the person next."""

    def portal_url(self, *, user: "User", return_url: str) -> str | None:
        """A URL of the provider's customer portal for `user`, or None if there is none."""
        return None

    @abstractmethod
    def cancel(self, *, subscription: "Subscription", immediately: bool) -> None:
        """Tell the provider to stop renewing (at period end, or now)."""

    @abstractmethod
    def resume(self, *, subscription: "Subscription") -> None:
        """Tell the provider to keep renewing after all."""

    @abstractmethod
    def apply_credit(self, *, subscription: "Subscription", amount_cents: int, description: str) -> bool:
        """Take `amount_cents` off the subscription's next invoice at the provider.

        Returns False when the provider has nothing to do (our own invoicing applies the credit).
        """


class ProviderError(DomainError):
    """The payment provider refused or could not be reached; nothing was changed here."""

    status_code = 502
    default_message = _("The payment provider could not complete this. Please try again in a moment.")
