"""The signed links a marketing e-mail carries: the open pixel, tracked clicks and one-click unsubscribe.

Every link is a `django.core.signing` token (SECRET_KEY, a salt per kind), so a changed link is
refused rather than followed: a click link names its target inside the signature, and the target
must be this site or a host in CAMPAIGN_LINK_ALLOWED_HOSTS even then (no open redirect). Unsubscribe
links do not expire: a mail read a year later must still let its reader leave.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.urls import reverse

OPEN_SALT = "growth.email.open"
CLICK_SALT = "growth.email.click"
UNSUBSCRIBE_SALT = "growth.email.unsubscribe"


class BadLink(Exception):
    """A tampered, truncated or disallowed link."""


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def open_pixel_url(send_id: int) -> str:
    return _absolute(reverse("growth:email_open", args=[signing.dumps(send_id, salt=OPEN_SALT)]))


def click_url(send_id: int | None, target: str) -> str:
    """A link that records the click of send `send_id` (None: a test mail, nothing recorded) and
    leads to `target` (a path on this site, or a full URL on an allowed host)."""
    if target.startswith("/") and not target.startswith("//"):
        target = _absolute(target)
    if not link_target_allowed(target):
        raise BadLink(target)
    token = signing.dumps({"s": send_id, "u": target}, salt=CLICK_SALT, compress=True)
    return _absolute(reverse("growth:email_click", args=[token]))


def unsubscribe_token(*, user_id: int, category: str, send_id: int | None) -> str:
    return signing.dumps({"u": user_id, "c": category, "s": send_id}, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(*, user_id: int, category: str, send_id: int | None) -> str:
    token = unsubscribe_token(user_id=user_id, category=category, send_id=send_id)
    return _absolute(reverse("growth:email_unsubscribe", args=[token]))


def link_target_allowed(url: str) -> bool:
    """Whether a tracked link may lead to `url`: http(s) on this site's host or an allowed host."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.username or parts.password:
        return False
    allowed = {urlsplit(settings.SITE_URL).hostname, *settings.CAMPAIGN_LINK_ALLOWED_HOSTS}
    return parts.hostname.lower() in {host.lower() for host in allowed if host}


def open_token_read(token: str) -> int:
    try:
        value = signing.loads(token, salt=OPEN_SALT)
    except signing.BadSignature as exc:
        raise BadLink(token) from exc
    if not isinstance(value, int):
        raise BadLink(token)
    return value


@dataclass(frozen=True)
class Click:
    send_id: int | None
    target: str


def click_token_read(token: str) -> Click:
    try:
        value = signing.loads(token, salt=CLICK_SALT)
    except signing.BadSignature as exc:
        raise BadLink(token) from exc
    if not isinstance(value, dict) or not isinstance(value.get("u"), str):
        raise BadLink(token)
    # Checked again when followed: a host taken off the allow-list stops working in old mails too.
    if not link_target_allowed(value["u"]):
        raise BadLink(token)
    return Click(send_id=value.get("s"), target=value["u"])


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    category: str
    send_id: int | None


def unsubscribe_token_read(token: str) -> Unsubscribe:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature as exc:
        raise BadLink(token) from exc
    if not isinstance(value, dict) or not isinstance(value.get("u"), int) or not isinstance(value.get("c"), str):
        raise BadLink(token)
    return Unsubscribe(user_id=value["u"], category=value["c"], send_id=value.get("s"))
