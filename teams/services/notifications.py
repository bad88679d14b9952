"""Notifications: the inbox other apps write to, and the e-mail and browser push that go with it.

Each kind reaches a person on up to three channels (in the inbox, by e-mail, as a browser push),
each switched on or off per kind on the notification settings page; an unsaved channel follows
the kind's default (teams.notifications.KINDS).
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from teams.models import Notification, NotificationPreference, User
from teams.notification_kinds import NotificationKind
from teams.notifications import (
    KINDS,
    PUSHABLE_KINDS,
    email_default_for,
    in_app_default_for,
    notification_text,
    push_default_for,
)
from teams.services.emails import email_queue
from teams.services.push import push_deliveries_create

CHANNELS = ("in_app", "email", "push")


@dataclass(frozen=True)
class Channels:
    in_app: bool
    email: bool
    push: bool


def _channels(kind: str, saved: dict | None) -> Channels:
    saved = saved or {}

    def pick(channel: str, default: bool) -> bool:
        value = saved.get(channel)
        return default if value is None else bool(value)

    return Channels(
        in_app=pick("in_app", in_app_default_for(kind)),
        email=pick("email", email_default_for(kind)),
        push=kind in PUSHABLE_KINDS and pick("push", push_default_for(kind)),
    )


def notification_channels_for(*, user: User, kind: str) -> Channels:
    """Where the user gets `kind`: their saved choices, else the kind's defaults (one query)."""
    saved = NotificationPreference.objects.filter(user=user, kind=kind).values(*CHANNELS).first()
    return _channels(kind, saved)


def notification_email_enabled(*, user: User, kind: str) -> bool:
    """Whether the user wants `kind` e-mailed: their saved choice, else the kind's default."""
    return notification_channels_for(user=user, kind=kind).email


def notification_channel_kinds_for(*, user: User) -> dict[str, set[str]]:
    """For each channel, the kinds the user may choose that they receive on it (one query)."""
    saved = {row["kind"]: row for row in NotificationPreference.objects.filter(user=user).values("kind", *CHANNELS)}
    chosen: dict[str, set[str]] = {channel: set() for channel in CHANNELS}
    for kind in emailable_kinds(user=user):
        channels = _channels(kind, saved.get(kind))
        for channel in CHANNELS:
            if getattr(channels, channel):
                chosen[channel].add(kind)
    return chosen


def notification_email_kinds_for(*, user: User) -> set[str]:
    """The e-mailable kinds the user receives by e-mail, defaults included (one query)."""
    return notification_channel_kinds_for(user=user)["email"]


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
    """Notify the recipient on the channels they chose for this kind: a row in their inbox, an
    e-mail, a push to each of their browsers. Returns the notification (unsaved when they keep
    this kind out of the inbox).

    `params` fill the kind's sentence (teams.notifications.KINDS) and must be JSON-serialisable;
    `email=False` skips the e-mail whatever the preference (when the caller already sends one).
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown notification kind {kind!r}; add it to NotificationKind first.")
    channels = notification_channels_for(user=recipient, kind=kind)
    notification = Notification(
        recipient=recipient, kind=kind, params=params or {}, target_url=target_url, created_at=timezone.now()
    )
    if channels.in_app:
        notification.save()
    wants_email = channels.email if email is None else email
    if wants_email and recipient.is_active:
        _send_notification_email(notification=notification)
    if channels.push and recipient.is_active:
        push_deliveries_create(user=recipient, kind=kind, params=notification.params, target_url=target_url)
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
def notification_preferences_save(
    *,
    user: User,
    email_kinds: set[str],
    in_app_kinds: set[str] | None = None,
    push_kinds: set[str] | None = None,
) -> None:
    """Save, for every kind the user may choose, the channels they want it on; a channel given as
    None keeps its saved choices."""
    for kind in emailable_kinds(user=user):
        notification_preference_set(
            user=user,
            kind=kind,
            email=kind in email_kinds,
            in_app=None if in_app_kinds is None else kind in in_app_kinds,
            push=None if push_kinds is None or kind not in PUSHABLE_KINDS else kind in push_kinds,
        )


@transaction.atomic
def notification_preference_set(
    *, user: User, kind: str, email: bool | None = None, in_app: bool | None = None, push: bool | None = None
) -> NotificationPreference:
    """Save the user's channels for one kind (None keeps a channel as it is); only kinds they may
    choose (`emailable_kinds`), and push only for kinds that can be pushed."""
    if kind not in emailable_kinds(user=user):
        raise DomainError(
            _("“%(kind)s” is not a notification this person can choose to receive by e-mail.") % {"kind": kind},
            field="kind",
        )
    if push is not None and kind not in PUSHABLE_KINDS:
        raise DomainError(
            _("“%(kind)s” is not a notification that can be sent as a browser notification.") % {"kind": kind},
            field="push",
        )
    preference = NotificationPreference.objects.select_for_update().filter(user=user, kind=kind).first()
    if preference is None:
        preference = NotificationPreference(user=user, kind=kind, email=email_default_for(kind))
    if email is not None:
        preference.email = email
    if in_app is not None:
        preference.in_app = in_app
    if push is not None:
        preference.push = push
    preference.save()
    return preference


STAFF_ONLY_KINDS = frozenset(
    {NotificationKind.EXPERIMENT_WINNER, NotificationKind.ALERT, NotificationKind.NPS_DETRACTOR}
)


def pushable_kinds(*, user: User | None = None) -> list[str]:
    """The kinds a person can choose to receive as a browser notification."""
    return [kind for kind in emailable_kinds(user=user) if kind in PUSHABLE_KINDS]


def emailable_kinds(*, user: User | None = None) -> list[str]:
    """The kinds a person can choose to receive by e-mail (invitations always come by e-mail);
    staff-only kinds are offered to staff only."""
    return [
        kind
        for kind in NotificationKind.values
        if kind != NotificationKind.INVITATION
        and (kind not in STAFF_ONLY_KINDS or user is None or getattr(user, "is_staff", False))
    ]
