"""What teams announces to other apps, and the allauth signals teams listens to.

Apps that keep rows or files of a person or a team connect to `user_deleting` and `team_deleting`
in their AppConfig.ready and clean up after themselves, so teams never imports them.
"""

from typing import Any

from allauth.account.signals import email_confirmed, user_logged_in, user_signed_up
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver
from django.http import HttpRequest
from django_countries import countries

from insights.event_names import EventName
from insights.events import record_event
from teams.models import User


def country_from_accept_language(header: str) -> str:
    """The region of the first language tag that names one ("pt-BR,pt;q=0.9" → "BR"), if it is a country."""
    for part in header.split(","):
        tag = part.split(";")[0].strip().replace("_", "-")
        pieces = tag.split("-")
        region = next((p for p in pieces[1:] if len(p) == 2 and p.isalpha()), "")
        if region:
            return region.upper() if region.upper() in countries else ""
    return ""


# Sent inside the deletion's transaction, before the rows go, with `user` or `team` and `actor`
# (who deletes; None for the system). A receiver deletes what its app owns, and defers removing
# stored files to transaction.on_commit; an exception it raises rolls the whole deletion back.
user_deleting = Signal()
team_deleting = Signal()


@receiver(user_signed_up)
def _record_signup(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    # Keep the language a person signed up in, so e-mails reach them in it.
    changed = []
    language = getattr(request, "LANGUAGE_CODE", "")
    if language and not user.language:
        user.language = language
        changed.append("language")
    # A first guess at the country (campaign audiences), from the region of the browser's first
    # language ("pt-BR" → Brazil); the person corrects it on their profile.
    country = country_from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", "") if request else "")
    if country and not user.country:
        user.country = country
        changed.append("country")
    if changed:
        user.save(update_fields=changed)
    record_event(name=EventName.USER_SIGNED_UP, actor=user, subject=user)


@receiver(user_logged_in)
def _record_login(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_event(name=EventName.USER_LOGGED_IN, actor=user, subject=user)


@receiver(email_confirmed)
def _record_verification(sender: Any, request: HttpRequest, email_address: Any, **kwargs: Any) -> None:
    record_event(name=EventName.USER_VERIFIED, actor=email_address.user, subject=email_address.user)


@receiver(post_save, sender=User)
def _revoke_api_tokens_on_password_change(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    # Every way of setting a password goes through set_password(), which keeps the new password in
    # `_password` until save() is done: allauth's change and reset pages, the admin's password form,
    # `manage.py changepassword`. Django clears it for the hash upgrade done on sign-in, which is not
    # a change (AbstractBaseUser.check_password), so tokens survive that. A stolen token must not
    # outlive the password the owner changed to lock the thief out.
    if not created and getattr(instance, "_password", None) is not None:
        from teams.services.tokens import api_tokens_revoke_all  # the services import this module

        api_tokens_revoke_all(user=instance)
