from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from growth.assignment import visitor_cookie_set


class ExperimentVisitorMiddleware:
    """Sets the visitor cookie when a page assigned an anonymous visitor to an experiment."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        visitor_cookie_set(request, response)
        return response
