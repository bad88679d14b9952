from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def money(cents: int | float | None, currency: str = "usd") -> str:
    """Format an amount in cents as "12.00 USD", with the active language's separators."""
    amount = Decimal(str(cents or 0)) / 100
    return f"{number_format(amount, 2, use_l10n=True)} {currency.upper()}"
