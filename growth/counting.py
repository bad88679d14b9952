"""A query helper growth's selectors and admins share."""

from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(rows: QuerySet, *, by: str) -> Coalesce:
    """An annotation: how many of `rows` (filtered on `by`=OuterRef) each outer row has, as a subquery.

    Used instead of Count over a join where two such counts on one row would multiply each other.
    """
    counted = rows.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
