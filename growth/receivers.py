"""What growth does when other apps announce something: a signup, a payment."""

from typing import Any

from allauth.account.signals import email_confirmed, user_signed_up
from django.dispatch import receiver
from django.http import HttpRequest

from billing.signals import payment_succeeded
from growth.codes import REFERRAL_COOKIE, REFERRAL_COOKIE_SALT, REFERRAL_SESSION_KEY
from growth.services.referrals import referral_apply_at_signup, referral_confirmed, referral_reward


def referral_code_pending(request: HttpRequest | None) -> str:
    """The code a share link left in this browser (session first, then the signed cookie), or ""."""
    if request is None:
        return ""
    session = getattr(request, "session", None)
    code = session.get(REFERRAL_SESSION_KEY, "") if session is not None else ""
    return code or request.get_signed_cookie(REFERRAL_COOKIE, default="", salt=REFERRAL_COOKIE_SALT) or ""


@receiver(user_signed_up)
def _apply_referral_code(sender: Any, request: HttpRequest | None = None, user: Any = None, **kwargs: Any) -> None:
    code = referral_code_pending(request)
    if not code or user is None:
        return
    referral_apply_at_signup(referee=user, code=code)
    if request is not None and getattr(request, "session", None) is not None:
        request.session.pop(REFERRAL_SESSION_KEY, None)  # applied (or refused) once


@receiver(payment_succeeded)
def _reward_referrer(sender: Any, payment: Any, first: bool, **kwargs: Any) -> None:
    # `first` is billing's hint; the referral row's own fence decides, so a replay rewards nothing.
    referral_reward(payment=payment)


@receiver(email_confirmed)
def _count_confirmed_referral(
    sender: Any, request: HttpRequest | None = None, email_address: Any = None, **kwargs: Any
) -> None:
    if email_address is not None:
        referral_confirmed(referee=email_address.user)
