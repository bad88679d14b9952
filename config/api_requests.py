"""API-wide request handling that must load before DRF's views: `Idempotency-Key` on every POST
and the `RateLimit-*` headers. DRF imports the throttle classes named in its settings while it
defines APIView, so this module imports nothing of DRF's views (config/api.py does)."""

import hashlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext as _
from rest_framework.throttling import BaseThrottle

from config.errors import DomainError

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

# --- Idempotency-Key -----------------------------------------------------------------------------
#
# A client that retries a POST (a timeout, a dropped connection) sends the same `Idempotency-Key`
# and gets the first answer back instead of a second video, export or endpoint, for 24 hours, as
# payment APIs do. It is keyed by the caller and the key; the request's fingerprint (method, path,
# body) must match, else 422. A duplicate arriving while the first is still running gets 409.
#
# It runs on every API view through DRF's throttle hook (the one hook DRF calls for every view,
# after authentication and permissions, so the caller is known) and the answer is stored by
# `ApiResponseMiddleware` once the view has made it. Stored in the cache (Redis in production):
# a claim is `cache.add`, atomic across processes.

IDEMPOTENCY_HEADER = "HTTP_IDEMPOTENCY_KEY"
IDEMPOTENCY_TTL_SECONDS = 24 * 3600
IDEMPOTENCY_CLAIM_SECONDS = 120  # longer than any request; a crashed request's claim then lapses
IDEMPOTENCY_KEY_MAX_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"
KEPT_HEADERS = ("Location", "Content-Type")


class IdempotencyError(DomainError):
    pass


class IdempotencyKeyReused(IdempotencyError):
    status_code = 422


class IdempotencyInProgress(IdempotencyError):
    status_code = 409


class IdempotentReplay(Exception):
    def __init__(self, stored: dict[str, Any]) -> None:
        self.stored = stored
        super().__init__("replay")


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    if request.content_type == "multipart/form-data":
        # Reading an upload here would bypass its streaming size limit; its length stands in for it.
        digest.update(f"multipart:{request.META.get('CONTENT_LENGTH', '')}".encode())
    else:
        try:
            digest.update(request.body)
        except RawPostDataException:  # a form body already parsed (CSRF check): hash its fields
            digest.update(repr(sorted(request.POST.lists())).encode())
        except RequestDataTooBig:
            digest.update(f"large:{request.META.get('CONTENT_LENGTH', '')}".encode())
    return digest.hexdigest()


def _idempotency_cache_key(user_id: int, key: str) -> str:
    return f"idempotency:{user_id}:{hashlib.sha256(key.encode()).hexdigest()}"


def idempotency_begin(request: "Request") -> None:
    """Replay a stored answer, refuse a conflicting or concurrent duplicate, or claim the key."""
    django_request = request._request
    key = django_request.META.get(IDEMPOTENCY_HEADER, "")
    if not key or request.method != "POST" or not getattr(request.user, "is_authenticated", False):
        return
    if len(key) > IDEMPOTENCY_KEY_MAX_LENGTH or not key.isprintable():
        raise IdempotencyError(
            _("The Idempotency-Key header must be at most 255 printable characters."), code="idempotency_key_invalid"
        )
    cache_key = _idempotency_cache_key(request.user.pk, key)
    fingerprint = _fingerprint(django_request)
    claim = {"state": "pending", "fingerprint": fingerprint}
    if not cache.add(cache_key, claim, timeout=IDEMPOTENCY_CLAIM_SECONDS):
        stored = cache.get(cache_key)
        if stored is None:  # it lapsed in between: treat as new
            cache.add(cache_key, claim, timeout=IDEMPOTENCY_CLAIM_SECONDS)
        else:
            if stored["fingerprint"] != fingerprint:
                raise IdempotencyKeyReused(
                    _("This Idempotency-Key was used with a different request. Use a new key for a new request."),
                    code="idempotency_key_reused",
                )
            if stored["state"] == "pending":
                raise IdempotencyInProgress(
                    _("A request with this Idempotency-Key is still being processed. Retry in a moment."),
                    code="idempotency_in_progress",
                )
            raise IdempotentReplay(stored)
    django_request._idempotency_claim = (cache_key, fingerprint)


def idempotency_finish(request: HttpRequest, response: HttpResponse) -> None:
    """Keep the answer for 24 hours; a server error or a throttled answer frees the key for a retry."""
    cache_key, fingerprint = request._idempotency_claim
    if response.status_code >= 500 or response.status_code in (409, 429) or getattr(response, "streaming", False):
        cache.delete(cache_key)
        return
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    cache.set(
        cache_key,
        {
            "state": "done",
            "fingerprint": fingerprint,
            "status": response.status_code,
            "content": bytes(response.content),
            "headers": {name: response[name] for name in KEPT_HEADERS if response.has_header(name)},
        },
        timeout=IDEMPOTENCY_TTL_SECONDS,
    )


def idempotent_replay_response(stored: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(stored["content"], status=stored["status"])
    for name, value in stored["headers"].items():
        response[name] = value
    response[REPLAYED_HEADER] = "true"
    return response


class IdempotencyThrottle(BaseThrottle):
    """Not a rate limit: DRF's per-view hook after authentication, used for `Idempotency-Key`."""

    def allow_request(self, request: "Request", view: "APIView") -> bool:
        idempotency_begin(request)
        return True


# --- Rate-limit headers and the idempotency store --------------------------------------------------


def rate_limit_note(request: "Request", *, limit: int, remaining: int, reset_seconds: int, window: int) -> None:
    """Remember the caller's rate-limit state for the `RateLimit-*` headers of this answer."""
    request._request._rate_limit = (limit, remaining, reset_seconds, window)


class ApiResponseMiddleware:
    """Adds `RateLimit-*` headers to API answers and stores answers to idempotent POSTs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "_idempotency_claim", None):
            idempotency_finish(request, response)
        rate = getattr(request, "_rate_limit", None)
        if rate is not None:
            limit, remaining, reset_seconds, window = rate
            response["RateLimit-Limit"] = str(limit)
            response["RateLimit-Remaining"] = str(remaining)
            response["RateLimit-Reset"] = str(reset_seconds)
            response["RateLimit-Policy"] = f"{limit};w={window}"
        return response
