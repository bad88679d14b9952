"""A push service on 127.0.0.1 and a browser that subscribes to it, for the web push tests.

The service is the real HTTP receiver of `tests/receiver.py` (it records each request and answers
from a script). The browser does what a browser does when it subscribes: it makes a P-256 key
pair and a 16-byte auth secret; `open` then does what a push service and a browser do with a
message: check the VAPID `Authorization` header (RFC 8292: a JWT signed by the application
server's key, for the endpoint's origin) and decrypt the aes128gcm body (RFC 8291) with the
browser's private key and auth secret.
"""

import base64
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import http_ece
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from tests.receiver import Answer, Received, Receiver


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Browser:
    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return b64url(point)

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def subscription(self) -> dict[str, Any]:
        """What `PushSubscription.toJSON()` gives the page's script."""
        return {"endpoint": self.endpoint, "expirationTime": None, "keys": {"p256dh": self.p256dh, "auth": self.auth}}

    def decrypt(self, body: bytes) -> bytes:
        return http_ece.decrypt(body, private_key=self.private_key, auth_secret=self.auth_secret, version="aes128gcm")


def vapid_claims(request: Received, *, server_public_key: str) -> dict[str, Any]:
    """Check the request's `Authorization: vapid t=<JWT>,k=<key>` as a push service does; its claims.

    The key must be the application server's (the one the browser subscribed with), the JWT must
    be ES256-signed by it, unexpired, and its audience the endpoint's origin.
    """
    scheme, _space, params = request.headers["authorization"].partition(" ")
    assert scheme.lower() == "vapid"
    parts = dict(part.strip().split("=", 1) for part in params.split(","))
    assert parts["k"] == server_public_key
    public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(parts["k"]))
    host = request.headers["host"]
    origin = f"http://{host}"
    claims = jwt.decode(parts["t"], key=public_key, algorithms=["ES256"], audience=origin)
    assert claims["exp"] > time.time()
    assert claims["sub"].startswith(("mailto:", "https:"))
    return claims


class PushService(Receiver):
    """The receiver, with endpoints per browser under /push/<name>."""

    def __init__(self, answers: list[Answer] | None = None) -> None:
        super().__init__(answers or [Answer(status=201, body=b"")])

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def browser(self, name: str = "browser-1") -> Browser:
        return Browser(endpoint=f"{self.origin}/push/{name}")

    def open(self, request: Received, browser: Browser, *, server_public_key: str) -> dict[str, Any]:
        """Check and decrypt one received push for `browser`; the JSON payload it carried."""
        assert urlsplit(browser.endpoint).path == request.path
        vapid_claims(request, server_public_key=server_public_key)
        assert request.headers["content-encoding"] == "aes128gcm"
        return json.loads(browser.decrypt(request.body))


def subscribe(api: Any, browser: Browser) -> Any:
    """Subscribe `browser` through the API as the person `api` is signed in as; returns the row."""
    from django.urls import reverse

    from teams.models import PushSubscription

    answer = api.post(reverse("api-push-subscriptions"), browser.subscription(), format="json")
    assert answer.status_code == 201, answer.content
    return PushSubscription.objects.get(pk=answer.json()["id"])
