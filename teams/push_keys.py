"""The VAPID key pair that signs our pushes (RFC 8292), from the settings.

Production takes `VAPID_PRIVATE_KEY`, `VAPID_PUBLIC_KEY` and `VAPID_SUBJECT` from the environment
and refuses to start with push on and one of them missing (config/settings/production.py; the
`teams.E001` check says which). Development and tests need no setup: when `VAPID_LOCAL_KEYS_FILE`
is set and the environment gives no key, a pair is generated once into that file (under var/,
never committed) and shared by the web process and the workers from then on.
"""

import base64
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from py_vapid import Vapid02


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class VapidKeys:
    private_key: str  # the raw 32-byte P-256 scalar, base64url
    public_key: str  # the uncompressed point (65 bytes), base64url: the browser's applicationServerKey
    subject: str  # mailto: or https: contact for the push services

    def signer(self) -> Vapid02:
        return Vapid02.from_raw(self.private_key.encode())


def public_key_of(private_key: str) -> str:
    """The base64url public point of a base64url raw (or DER) private key."""
    vapid = Vapid02.from_string(private_key)
    point = vapid.public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return b64url(point)


def keys_generate() -> tuple[str, str]:
    """A new pair: (private, public), both base64url, in the form the settings take."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = b64url(key.private_numbers().private_value.to_bytes(32, "big"))
    public = b64url(
        key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return private, public


def _local_keys(path: Path) -> tuple[str, str]:
    # Created with O_EXCL: when two processes start at once, one writes and the other reads its pair.
    path.parent.mkdir(parents=True, exist_ok=True)
    private, public = keys_generate()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        saved = json.loads(path.read_text())
        return saved["private_key"], saved["public_key"]
    with os.fdopen(fd, "w") as out:
        json.dump({"private_key": private, "public_key": public}, out)
    return private, public


@lru_cache(maxsize=1)
def _keys_for(private: str, public: str, subject: str, local_file: str) -> VapidKeys:
    if not private and local_file:
        private, public = _local_keys(Path(local_file))
    if not private or not subject:
        raise ImproperlyConfigured("Web push needs VAPID_PRIVATE_KEY and VAPID_SUBJECT (and VAPID_PUBLIC_KEY).")
    derived = public_key_of(private)
    if public and public != derived:
        raise ImproperlyConfigured("VAPID_PUBLIC_KEY is not the public half of VAPID_PRIVATE_KEY.")
    return VapidKeys(private_key=private, public_key=derived, subject=subject)


def vapid_keys() -> VapidKeys:
    """The configured pair (ImproperlyConfigured when push is on without keys)."""
    return _keys_for(
        settings.VAPID_PRIVATE_KEY,
        settings.VAPID_PUBLIC_KEY,
        settings.VAPID_SUBJECT,
        str(settings.VAPID_LOCAL_KEYS_FILE or ""),
    )


def push_enabled() -> bool:
    return bool(settings.WEB_PUSH_ENABLED)
