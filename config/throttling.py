"""Per-person rates, counted in the shared cache by DRF's sliding window, for the API and services alike.

Each rate is a scope in `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`, read when used (DRF reads it
at import), so the rate follows the settings and tests can change it. The plan's overall API rate
is billing's (`billing.throttling.PlanRateThrottle`).
"""

from types import SimpleNamespace

from rest_framework import permissions, throttling
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from config.errors import RateLimited


class ScopeRateThrottle(throttling.UserRateThrottle):
    """Every request, per person, at the rate of `scope`."""

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class WriteRateThrottle(ScopeRateThrottle):
    """Writes (every method but GET, HEAD and OPTIONS), per person, at the rate of `scope`; reads are free."""

    def allow_request(self, request: Request, view: APIView) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return super().allow_request(request, view)


class _PersonRate(throttling.SimpleRateThrottle):
    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: SimpleNamespace, view: object) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.user_id}


def person_rate_count(*, scope: str, person_id: int) -> None:
    """Count one use of `scope` by a person, from a service (so pages and API share one count);
    RateLimited once past the scope's rate."""
    if not _PersonRate(scope).allow_request(SimpleNamespace(user_id=person_id), None):
        raise RateLimited(code="throttled")


class _IdentRate(_PersonRate):
    def get_cache_key(self, request: SimpleNamespace, view: object) -> str:
        return self.cache_format % {"scope": self.scope, "ident": request.ident}


def ident_rate_count(*, scope: str, ident: str) -> None:
    """Count one use of `scope` by anyone else than a signed-in person (a client address, an e-mail
    address), from a service; RateLimited once past the scope's rate."""
    if not _IdentRate(scope).allow_request(SimpleNamespace(ident=ident), None):
        raise RateLimited(code="throttled")
