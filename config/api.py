"""Project-wide API wiring: pagination and a JSON error shape for every failure."""

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import DomainError


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render domain and Django validation errors as `{"detail": ...}` or field errors."""
    if isinstance(exc, DomainError):
        body: dict[str, Any]
        body = {exc.field: [str(exc.message)]} if exc.field else {"detail": str(exc.message), "code": exc.code}
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = {field: [str(m) for m in messages] for field, messages in exc.message_dict.items()}
        else:
            body = {"detail": " ".join(str(m) for m in exc.messages)}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, TooManyFilesSent | TooManyFieldsSent | RequestDataTooBig):
        # Django's own request limits (DATA_UPLOAD_*): JSON like every other refusal, not its HTML 400 page.
        body = {"detail": _("This request sends more files or data than any form takes."), "code": "request_too_large"}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
