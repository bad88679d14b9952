"""Local media behind signed, expiring URLs: the same security model as S3's presigned ones.

A stored file's URL is `/media/<name>?exp=<unix time>&sig=<signature>`, where the signature is an
HMAC (Django's `Signer`, keyed by SECRET_KEY, with SECRET_KEY_FALLBACKS honoured) of the name and
the expiry. Whoever holds the URL may fetch the file until it expires, as with a presigned S3 URL;
ids in the path are guessable, the signature is not. `config.media_views.media_serve` checks it.
"""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage

# Its own salt: no other signed value of the project can be passed off as a media signature.
SALT = "config.storage.media-url"
# Expiries are rounded up to the minute, so a page rendered twice in a minute links the same URL
# (and the browser's cached copy of the video is reused).
EXPIRY_STEP_SECONDS = 60


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT)


def _signed_value(name: str, expires_at: int) -> str:
    return f"{name}\n{expires_at}"


def media_signature(*, name: str, expires_at: int) -> str:
    """The signature that lets `name` be fetched until `expires_at` (a Unix time)."""
    return _signer().signature(_signed_value(name, expires_at))


def media_signature_valid(*, name: str, expires_at: str, signature: str) -> bool:
    """True if `signature` was made for this name and expiry, and the expiry has not passed."""
    if not expires_at.isdecimal() or int(expires_at) < time.time():
        return False
    signer = _signer()
    try:
        # unsign compares in constant time, against the current key and the fallbacks.
        signer.unsign(f"{_signed_value(name, int(expires_at))}{signer.sep}{signature}")
    except signing.BadSignature:
        return False
    return True


class SignedFileSystemStorage(FileSystemStorage):
    """Files on the local disk whose URLs are signed and expire (MEDIA_URL_EXPIRE_SECONDS)."""

    def url(self, name: str | None, *, expire: int | None = None) -> str:  # type: ignore[override]
        """The file's signed URL, valid for `expire` seconds (default: MEDIA_URL_EXPIRE_SECONDS), as S3Storage's."""
        url = super().url(name)
        seconds = settings.MEDIA_URL_EXPIRE_SECONDS if expire is None else expire
        expires_at = -(-(int(time.time()) + seconds) // EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS
        query = urlencode({"exp": expires_at, "sig": media_signature(name=str(name), expires_at=expires_at)})
        return f"{url}?{query}"
