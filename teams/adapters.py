from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.utils.translation import gettext_lazy as _

from teams.services import email_queue


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
        full_context = {"request": request, "email": email, "site_name": "Video Creator", **context}
        message = self.render_mail(template_prefix, email, full_context)
        email_queue(message=message, kind=template_prefix)
