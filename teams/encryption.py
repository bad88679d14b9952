"""Secrets kept at rest (the bodies of queued e-mail) are encrypted with keys derived from SECRET_KEY.

Fernet (AES with an HMAC, from `cryptography`) does the encryption. Each purpose gets its own key,
derived from the secret key with HKDF, so the secret key itself is never used for two things.
New data is sealed with SECRET_KEY; data sealed under a key now listed in SECRET_KEY_FALLBACKS
still opens, so rotating the secret key (the old one moved to the fallbacks until the queue has
drained, minutes in practice) loses no queued mail.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

__all__ = ["InvalidToken", "seal", "unseal"]


def _fernet_for(secret: str, purpose: str) -> Fernet:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"video-creator:{purpose}".encode())
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(secret.encode())))


def _keys(purpose: str) -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet_for(secret, purpose) for secret in secrets])


def seal(plaintext: str, *, purpose: str) -> str:
    """Encrypt `plaintext` for `purpose` under the current secret key."""
    return _keys(purpose).encrypt(plaintext.encode()).decode()


def unseal(token: str, *, purpose: str) -> str:
    """Decrypt what `seal` made; raises InvalidToken if no configured key opens it."""
    return _keys(purpose).decrypt(token.encode()).decode()
