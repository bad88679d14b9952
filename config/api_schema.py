"""The schema's view of every operation: drf-spectacular's, plus the error answers each can give.

Documented once here instead of on every view, so clients (and schemathesis) know the shape of a
refusal: `{"detail": ..., "code": ...}`, or field errors for invalid input.
"""

from typing import Any

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiExample, OpenApiResponse

# Every refusal is either `{"detail": ..., "code": ...}` (a sentence for people, a code for
# programs) or, for invalid input, the fields with their messages: `{"url": ["Enter a valid URL."]}`.
ERROR_SCHEMA: dict[str, Any] = {
    "anyOf": [
        {
            "type": "object",
            "title": "Error",
            "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
            "required": ["detail"],
        },
        {
            "type": "object",
            "title": "FieldErrors",
            "description": "Each invalid field with its messages (nested for lists and objects).",
            "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}]},
        },
    ]
}


ERROR_EXAMPLES = {
    "400": {"url": ["The URL points to a private or reserved network address."]},
    "401": {"detail": "Authentication credentials were not provided."},
    "402": {"detail": "Your plan does not include this. Upgrade to continue.", "code": "limit"},
    "403": {"detail": "You do not have permission to do this."},
    "404": {"detail": "Not found."},
    "409": {
        "detail": "A request with this Idempotency-Key is still being processed.",
        "code": "idempotency_in_progress",
    },
    "422": {"detail": "This Idempotency-Key was used with a different request.", "code": "idempotency_key_reused"},
    "429": {"detail": "Request was throttled. Expected available in 60 seconds."},
}
ERROR_DESCRIPTIONS = {
    "400": "Invalid input: field errors, or `detail` and `code`.",
    "401": "No valid API token (send `Authorization: Token <key>`).",
    "402": "Your plan's limit blocks this action.",
    "403": "Your role does not allow this action.",
    "404": "Not found, or not yours (another user's object is a 404).",
    "409": "The same Idempotency-Key is still in flight.",
    "422": "The Idempotency-Key was used with a different request.",
    "429": "Too many requests for your plan; see `Retry-After` and the `RateLimit-*` headers.",
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, with the error answers every operation can give documented once."""

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        codes = ["400", "401", "403", "404", "429"]
        if self.method == "POST":
            codes += ["402", "409", "422"]
        elif self.method in ("PUT", "PATCH", "DELETE"):
            codes += ["402"]
        for code in codes:
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    OpenApiResponse(
                        ERROR_SCHEMA,
                        description=ERROR_DESCRIPTIONS[code],
                        examples=[OpenApiExample(f"Error {code}", value=ERROR_EXAMPLES[code], status_codes=[code])],
                    ),
                    code,
                    direction=direction,
                )
        return responses
