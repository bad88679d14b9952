"""API rate limiting by plan: each account gets its plan's `api_rate_per_hour`.

It is on for the whole API (REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]) and costs one plan
lookup (one or two queries) per request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.throttling import UserRateThrottle

from billing import limits
from billing.limits import Limit
from config.api_requests import rate_limit_note

if TYPE_CHECKING:  # rest_framework.views imports the settings that name this class
    from rest_framework.request import Request
    from rest_framework.views import APIView


class PlanRateThrottle(UserRateThrottle):
    """Requests per hour from the signed-in account's plan; unlimited plans are not throttled."""

    scope = "plan"

    def __init__(self) -> None:
        # The rate is not a setting: it is read from the account's plan on each request.
        self.rate = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not getattr(user, "is_authenticated", False):
            return True  # anonymous callers are AnonRateThrottle's business
        limit = limits.value(user, Limit.API_RATE_PER_HOUR)
        if limit is None:
            return True
        self.rate = f"{limit}/hour"
        self.num_requests, self.duration = int(limit), 3600
        allowed = super().allow_request(request, view)
        # For the RateLimit-* headers of the answer (config.api.ApiResponseMiddleware).
        history = getattr(self, "history", [])
        reset = int(history[-1] + self.duration - self.now) if history else self.duration
        rate_limit_note(
            request,
            limit=self.num_requests,
            remaining=max(0, self.num_requests - len(history)),
            reset_seconds=max(0, reset),
            window=self.duration,
        )
        return allowed
