"""Project-wide page middleware."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from config.errors import DomainError, NotFound, PermissionDenied


class DomainErrorMiddleware:
    """The pages' twin of the API's exception handler (`config.api.exception_handler`).

    A page view lets a domain refusal propagate and this turns it into the HTTP answer: NotFound
    (raised for objects the user may not see) is Django's 404 (with the message when the error
    carries one of its own, such as a dead invitation link), PermissionDenied its 403 with the
    message, any other domain error its status with the message. Views still catch the errors they
    show inside a form; only the ones nobody can act on in place arrive here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Raising Django's own exceptions here lets its handlers render them (404.html, 403.html).
        if isinstance(exception, NotFound):
            if exception.message is not NotFound.default_message:
                return self._render(request, "404.html", exception)
            raise Http404(str(exception.message)) from exception
        if isinstance(exception, PermissionDenied):
            raise HttpPermissionDenied(str(exception.message)) from exception
        if isinstance(exception, DomainError):
            return self._render(request, "domain_error.html", exception)
        return None

    @staticmethod
    def _render(request: HttpRequest, template: str, exception: DomainError) -> HttpResponse:
        context = {"message": str(exception.message)}
        return TemplateResponse(request, template, context, status=exception.status_code).render()
