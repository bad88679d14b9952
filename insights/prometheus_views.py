"""`/metrics` for Prometheus: a bearer token from the environment, or a signed-in staff session."""

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST

from config.errors import PermissionDenied
from config.throttling import ident_rate_count
from insights.prometheus import scrape
from insights.status_views import client_ident


def _bearer_ok(request: HttpRequest) -> bool:
    expected = settings.METRICS_BEARER_TOKEN
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if not expected or scheme.lower() != "bearer" or not given:
        return False
    # Constant time: the comparison must not tell a guesser how many characters were right.
    return hmac.compare_digest(given.strip().encode(), expected.encode())


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    ident_rate_count(scope="prometheus", ident=f"addr:{client_ident(request)}")
    if not _bearer_ok(request) and not request.user.is_staff:
        if request.user.is_authenticated:
            raise PermissionDenied(code="staff_only")
        # HTTP authentication, not a domain refusal: the challenge tells the scraper what to send.
        answer = HttpResponse("Authentication required.\n", status=401, content_type="text/plain")
        answer["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return answer
    return HttpResponse(scrape(), content_type=CONTENT_TYPE_LATEST)
