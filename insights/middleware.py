from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from growth.assignment import visitor_id
from growth.codes import is_bot
from insights.page_views import page_view_buffer

# Not pages a person reads: the ops console, the API, files, health probes and the beacons.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/healthz", "/insights/player/", "/__")


class PageViewMiddleware:
    """Records a `page.viewed` event (buffered, insights.page_views) for every HTML page a person gets.

    Sits inside the experiment middleware, which sets the visitor cookie this may create.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.method == "GET"
            and response.status_code == 200
            and not request.headers.get("HX-Request")
            and response.get("Content-Type", "").startswith("text/html")
            and not request.path.startswith(SKIPPED_PREFIXES)
            and not is_bot(request.headers.get("User-Agent", ""))
        ):
            user = getattr(request, "user", None)
            page_view_buffer(
                visitor=visitor_id(request),
                path=request.path,
                actor_id=user.pk if user is not None and user.is_authenticated else None,
                at=timezone.now(),
            )
        return response
