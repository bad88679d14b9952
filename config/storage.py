"""Local media behind signed, expiring URLs: the same security model as S3's presigned ones.

A stored file's URL is `/media/<name>?exp=<unix time>&sig=<signature>`, where the signature is an
HMAC (Django's `Signer`, keyed by SECRET_KEY, with SECRET_KEY_FALLBACKS honoured) of the name and
the expiry. Whoever holds the URL may fetch the file until it expires, as with a presigned S3 URL;
ids in the path are guessable, the signature is not. `config.media_views.media_serve` checks it.

On S3, `MediaS3Storage` presigns URLs that make S3 answer with the same headers as the local route
(a download, of a type from `CONTENT_TYPES`), whatever metadata the object was stored with.
"""

import time
from pathlib import PurePosixPath
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

# What we store: rendered and uploaded videos, thumbnails, logos and slot pictures, export archives.
# Media is served as the type of its extension from this list, never as what its bytes or its
# stored metadata say; anything else is application/octet-stream.
CONTENT_TYPES = {
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".mov": "video/quicktime",
    ".webm": "video/webm",
    ".mkv": "video/x-matroska",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".zip": "application/zip",
}


def served_content_type(name: str) -> str:
    """The content type a stored file is served as, from its extension alone."""
    return CONTENT_TYPES.get(PurePosixPath(name).suffix.lower(), "application/octet-stream")


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


class MediaS3Storage(S3Storage):
    """S3 media whose presigned URLs always download, as a type from CONTENT_TYPES.

    Uploads set the same metadata on the object (AWS_S3_OBJECT_PARAMETERS, the checked content type),
    but objects stored before that keep theirs, possibly text/html shown inline: the URL overrides
    them (S3's response-content-* parameters, part of the signature, so they cannot be removed).
    """

    def url(
        self, name: str, parameters: dict | None = None, expire: int | None = None, http_method: str | None = None
    ) -> str:
        if self.custom_domain:
            # A CDN URL is not an S3 request: S3's response-* parameters would mean nothing there.
            return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
        overrides = {"ResponseContentDisposition": "attachment", "ResponseContentType": served_content_type(name)}
        return super().url(name, parameters={**(parameters or {}), **overrides}, expire=expire, http_method=http_method)
