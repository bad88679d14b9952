from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from teams.models import User
from teams.services import email_queue

# Set by the invitation page for a signed-out visitor, so signup/login lead back to it: the
# invitation's id and its token's stored hash, never the token (a session-table backup must hold no
# live link). A re-send changes the hash, so the kept invitation goes stale like the old link.
INVITATION_SESSION_KEY = "invitation_pending"


class AccountAdapter(DefaultAccountAdapter):
    """allauth with our wording, and its mail sent by a worker instead of in the request."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "account_inactive": _("This account is currently inactive."),
        "email_password_mismatch": _("The e-mail address and/or password you entered are not correct."),
        "email_taken": _("A user is already registered with this e-mail address."),
        "enter_current_password": _("Please type your current password."),
        "incorrect_password": _("Incorrect password."),
        "invalid_or_expired_key": _("Invalid or expired key."),
        "invalid_password_reset": _("The password reset link was invalid."),
        "too_many_login_attempts": _("Too many failed sign-in attempts. Try again later."),
        "unknown_email": _("The e-mail address is not assigned to any user account."),
        "unverified_primary_email": _("Your primary e-mail address must be verified."),
        "rate_limited": _("Be patient, you are sending too many requests."),
    }

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = context.get("request") or self.request
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        email_queue(
            to=email,
            template=template_prefix,
            context={
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                "site_name": "Video Creator",
                **context,
            },
            # An account's own language; for a stranger (signup), the language of the page they used.
            language=getattr(user, "language", "") or translation.get_language(),
            subject_prefix=self.format_email_subject(""),  # allauth's "[site] " prefix, as configured
        )

    # An invitee who signs up with the invited address needs no separate verification: the
    # invitation page stashes that address (`stash_verified_email`), and allauth's default
    # `is_email_verified` trusts the stash.

    def _pending_invitation_url(self, request: HttpRequest) -> str | None:
        return reverse("invitation_pending") if request.session.get(INVITATION_SESSION_KEY) else None

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return self._pending_invitation_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return self._pending_invitation_url(request) or super().get_signup_redirect_url(request)
