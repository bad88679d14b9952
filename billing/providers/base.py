"""What a payment provider must do for us. Local state changes stay in billing.services."""

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from config.errors import DomainError

if TYPE_CHECKING:
    from billing.models import Plan, Subscription
    from teams.models import User


class PaymentProvider(ABC):
    code: str
    # Whether the provider has its own customer portal (cards, invoices, tax ids).
    has_portal: bool = False

    @abstractmethod
    def checkout(self, *, user: "User", plan: "Plan", interval: str, success_url: str, cancel_url: str) -> str:
        """Begin buying `plan`; return the URL to send the person to next."""

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
