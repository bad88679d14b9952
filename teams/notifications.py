"""The kinds of notification and how each one reads.

A notification stores its kind and parameters, not its text: the text is rendered here when
someone reads it, in the reader's current language, so switching language re-translates the
whole inbox. Apps that notify people add their kind to `teams.notification_kinds`, its text
below, and call `teams.services.notification_send`.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise, lazystr
from django.utils.translation import gettext_lazy as _

from teams.notification_kinds import NotificationKind


@dataclass(frozen=True)
class KindSpec:
    text: Promise  # a %-format string with named parameters
    email_by_default: bool
    # None: never pushed (not offered as a browser notification); else whether it is pushed by default.
    push_by_default: bool | None = None
    in_app_by_default: bool = True


KINDS: dict[str, KindSpec] = {
    NotificationKind.MENTION: KindSpec(_("%(actor)s mentioned you on “%(video)s”."), True, push_by_default=True),
    NotificationKind.INVITATION: KindSpec(_("%(actor)s invited you to join %(team)s as %(role)s."), True),
    NotificationKind.MEMBER_JOINED: KindSpec(_("%(member)s joined %(team)s."), False),
    NotificationKind.ROLE_CHANGED: KindSpec(_("Your role in %(team)s is now %(role)s."), True),
    NotificationKind.EXPORT_READY: KindSpec(
        _("Your export “%(export)s” is ready to download."), True, push_by_default=True
    ),
    NotificationKind.BULK_DONE: KindSpec(
        _("Your bulk job “%(job)s” is done: %(rendered)s videos made, %(failed)s rows failed."), True
    ),
    NotificationKind.PUBLISH_RESULT: KindSpec(
        _("“%(video)s” on %(platform)s: %(result)s."), True, push_by_default=True
    ),
    NotificationKind.EXPERIMENT_WINNER: KindSpec(_("Experiment “%(experiment)s” has a winner: %(variant)s."), True),
    NotificationKind.FEATURE_STATUS: KindSpec(_("“%(feature)s”, which you voted on, is now %(status)s."), True),
    NotificationKind.WAITLIST_INVITED: KindSpec(_("You're in: %(feature)s is now switched on for your account."), True),
    NotificationKind.REFERRAL_REWARDED: KindSpec(
        _("%(friend)s made their first payment: you earned one free month of Pro."), True
    ),
    NotificationKind.WEBHOOK_DISABLED: KindSpec(
        _("Your webhook endpoint %(url)s was turned off: it kept failing or answered 410 Gone."), True
    ),
    NotificationKind.ALERT: KindSpec(_("%(severity)s alert %(result)s: %(title)s"), True),
    NotificationKind.NPS_DETRACTOR: KindSpec(
        _("%(person)s scored %(score)s in the NPS survey: a follow-up is yours, due within 24 hours."), False
    ),
    # Renders are frequent: the inbox and the browser tell, e-mail only for those who ask.
    NotificationKind.RENDER_FINISHED: KindSpec(
        _("“%(video)s” has finished rendering and is ready to watch."), False, push_by_default=True
    ),
    # Staff's promotional messages (growth's one-off campaigns): `text` is the campaign's own line.
    # Opt-in for e-mail and push alike.
    NotificationKind.PROMOTIONS: KindSpec(lazystr("%(text)s"), False, push_by_default=False),
    NotificationKind.INCIDENT_ESCALATED: KindSpec(
        _("Incident “%(incident)s” (%(severity)s) is past its target and has been escalated to you."), True
    ),
}

PUSHABLE_KINDS = frozenset(kind for kind, spec in KINDS.items() if spec.push_by_default is not None)


# The feature-request statuses (owned by growth), named here so the inbox translates them when read.
FEATURE_STATUS_LABELS = {
    "open": _("Open"),
    "planned": _("Planned"),
    "in_progress": _("In progress"),
    "shipped": _("Shipped"),
    "declined": _("Declined"),
}


# Outcomes other apps store as codes (teams imports none of them), shown in the reader's language.
RESULTS = {
    "fired": _("fired"),
    "resolved": _("resolved"),
    "published": _("published"),
    "partly_published": _("partly published"),
    "failed": _("failed"),
    "unknown": _("unknown, check the platform"),
}


def _translated_value(name: str, value: Any) -> Any:
    if name == "status":
        return FEATURE_STATUS_LABELS.get(value, value)
    if name == "result":
        return RESULTS.get(value, value)
    if name == "role":
        from teams.models import Membership

        try:
            return Membership.Role(value).label
        except ValueError:
            return value
    return value


class _Params(dict):
    # A missing parameter renders as "…" instead of breaking the whole inbox.
    def __missing__(self, key: str) -> str:
        return "…"


def notification_text(*, kind: str, params: dict[str, Any]) -> str:
    """The notification's sentence in the active language."""
    spec = KINDS.get(kind)
    if spec is None:
        return str(kind)
    values = _Params({name: str(_translated_value(name, value)) for name, value in (params or {}).items()})
    try:
        return str(spec.text) % values
    except (TypeError, ValueError):
        return str(spec.text)


def email_default_for(kind: str) -> bool:
    spec = KINDS.get(kind)
    return bool(spec and spec.email_by_default)


def in_app_default_for(kind: str) -> bool:
    spec = KINDS.get(kind)
    return bool(spec and spec.in_app_by_default)


def push_default_for(kind: str) -> bool:
    spec = KINDS.get(kind)
    return bool(spec and spec.push_by_default)
