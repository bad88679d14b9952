"""The one error type services raise; pages show it as a form error, the API as JSON 4xx."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain was broken; `message` is translatable and safe to show users."""

    status_code = 400
    default_message = _("This action is not allowed.")

    def __init__(self, message: str | None = None, *, code: str = "invalid", field: str | None = None):
        self.message = message or self.default_message
        self.code = code
        self.field = field
        super().__init__(str(self.message))


class PermissionDenied(DomainError):
    status_code = 403
    default_message = _("You do not have permission to do this.")


class NotFound(DomainError):
    """Raised for objects the user may not see, so existence never leaks."""

    status_code = 404
    default_message = _("Not found.")


class LimitReached(DomainError):
    """A plan limit blocks the action; the user can upgrade."""

    status_code = 402
    default_message = _("Your plan does not include this. Upgrade to continue.")


class RateLimited(DomainError):
    """The action was repeated too often; it works again once the limit's window has passed."""

    status_code = 429
    default_message = _("You are doing this too often. Try again later.")
