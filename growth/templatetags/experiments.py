from typing import Any

from django import template

from growth.assignment import experiment_variant as variant_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def experiment_variant(context: dict[str, Any], key: str) -> str:
    """`{% experiment_variant "signup_cta" as cta %}`: the variant key this page shows (exposure recorded)."""
    request = context.get("request")
    return variant_for_request(request, key) if request is not None else ""
