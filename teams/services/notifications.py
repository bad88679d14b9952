"""Notifications: the inbox other apps write to, and the optional e-mail that goes with it."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from teams.models import Notification, NotificationPreference, User
from teams.notification_kinds import NotificationKind
from teams.notifications import KINDS, email_default_for, notification_text
from teams.services.emails import email_queue


def notification_email_enabled(*, user: User, kind: str) -> bool:
    """Whether the user wants `kind` e-mailed: their saved choice, else the kind's default."""
    saved = NotificationPreference.objects.filter(user=user, kind=kind).values_list("email", flat=True).first()
    return email_default_for(kind) if saved is None else saved


def notification_email_kinds_for(*, user: User) -> set[str]:
    """The e-mailable kinds the user receives by e-mail, defaults included (one query)."""
    saved = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind for kind in emailable_kinds(user=user) if saved.get(kind, email_default_for(kind))}


def _absolute(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url if url.startswith("/") else url


def _send_notification_email(*, notification: Notification) -> None:
    user = notification.recipient
    # Lazy, so the sentence is written in the recipient's language when the e-mail is rendered.
    text = lazy(notification_text, str)(kind=notification.kind, params=notification.params)
    email_queue(
        to=user.email,
        template="teams/email/notification",
        context={
            "user": user,
            "text": text,
            "target_url": _absolute(notification.target_url) if notification.target_url else "",
            "settings_url": _absolute(reverse("notification_settings")),
        },
        language=user.language,
    )


@transaction.atomic
def notification_send(
    *,
    recipient: User,
    kind: str,
    params: dict | None = None,
    target_url: str = "",
    email: bool | None = None,
) -> Notification:
    """Put a notification in the recipient's inbox; e-mail it too when they asked for that kind.

    `params` fill the kind's sentence (teams.notifications.KINDS) and must be JSON-serialisable;
    `email=False` skips the e-mail whatever the preference (when the caller already sends one).
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}; add it to NotificationKind first.")
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, params=params or {}, target_url=target_url, created_at=timezone.now()
    )
    wants_email = notification_email_enabled(user=recipient, kind=kind) if email is None else email
    if wants_email and recipient.is_active:
        _send_notification_email(notification=notification)
    return notification


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark a notification read; it comes from `teams.permissions.notification_get_for_user`."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at=None).update(read_at=timezone.now())


@transaction.atomic
def notification_preferences_save(*, user: User, email_kinds: set[str]) -> None:
    """Save, for every e-mailable kind, whether the user wants it e-mailed."""
    for kind in emailable_kinds(user=user):
        notification_preference_set(user=user, kind=kind, email=kind in email_kinds)


@transaction.atomic
def notification_preference_set(*, user: User, kind: str, email: bool) -> NotificationPreference:
    """Save whether the user wants one kind e-mailed; only kinds they may choose (`emailable_kinds`)."""
    if kind not in emailable_kinds(user=user):
        raise DomainError(
            _("“%(kind)s” is not a notification this person can choose to receive by e-mail.") % {"kind": kind},
            field="kind",
        )
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, kind=kind, defaults={"email": email}
    )
    return preference


STAFF_ONLY_KINDS = frozenset(
    {NotificationKind.EXPERIMENT_WINNER, NotificationKind.ALERT, NotificationKind.NPS_DETRACTOR}
)


def emailable_kinds(*, user: User | None = None) -> list[str]:
    """The kinds a person can choose to receive by e-mail (invitations always come by e-mail);
    staff-only kinds are offered to staff only."""
    return [
        kind
        for kind in NotificationKind.values
        if kind != NotificationKind.INVITATION
        and (kind not in STAFF_ONLY_KINDS or user is None or getattr(user, "is_staff", False))
    ]
