"""Project-wide API wiring: keyset pagination and a JSON error shape for every failure.

The error shapes are documented in the schema by config/api_schema.py; `Idempotency-Key` and the
`RateLimit-*` headers are config/api_requests.py's."""

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found
from rest_framework import status
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from config.api_requests import IdempotentReplay, idempotent_replay_response
from config.errors import DomainError
from config.pagination import COUNT_CAP, InvalidCursor, KeysetPage, KeysetPaginator, capped_count


class Pagination(BasePagination):
    """Every API list: keyset pages addressed by an opaque `cursor`, with `next` and `previous` links.

    A page costs the same wherever it is in the list; `count` is exact up to 1,000 and
    `count_capped` says when there are more.
    """

    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset: QuerySet, request: Request, view: APIView | None = None) -> list[Any]:
        self.request = request
        try:
            self.page: KeysetPage = KeysetPaginator(queryset, self._page_size(request)).page(
                request.query_params.get(self.cursor_query_param)
            )
        except InvalidCursor:
            raise DomainError(_("This cursor is not valid: start again from the first page."), field="cursor") from None
        self.count, self.capped = capped_count(queryset)
        return self.page.object_list

    def _page_size(self, request: Request) -> int:
        try:
            size = int(request.query_params.get(self.page_size_query_param, ""))
        except ValueError:
            return api_settings.PAGE_SIZE
        return min(max(size, 1), self.max_page_size)

    def _link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": self.count,
                "count_capped": self.capped,
                "next": self._link(self.page.next_cursor),
                "previous": self._link(self.page.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        example = "https://videocreator.example/api/v1/videos/?cursor=eyJ2IjpbIjIwMjYtMDEtMDEiLDQyXSwiYiI6MH0"
        return {
            "type": "object",
            "required": ["count", "count_capped", "next", "previous", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": f"How many items the list has, counted up to {COUNT_CAP}.",
                },
                "count_capped": {
                    "type": "boolean",
                    "description": f"True when the list has more than {COUNT_CAP} items (and count says {COUNT_CAP}).",
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "example": example,
                    "description": "The next (older) page; null on the last page.",
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The previous (newer) page; null on the first page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Opaque position from a `next` or `previous` link; leave out for the first page.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Items per page, 1 to {self.max_page_size} (default {api_settings.PAGE_SIZE}).",
                "schema": {"type": "integer"},
            },
        ]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Render domain and Django validation errors as `{"detail": ...}` or field errors."""
    if isinstance(exc, IdempotentReplay):
        return idempotent_replay_response(exc.stored)
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


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 handler: a JSON answer for a URL under /api/ that matches no route, the page otherwise."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": str(_("Not found.")), "code": "not_found"}, status=404)
    return page_not_found(request, exception)
