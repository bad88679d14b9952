"""Ops-console changelists of tables that grow without bound (videos, versions, people, the event log,
the outbox, payments): what keeps each page under 100 ms at millions of rows.

- No exact count of a large result: the paginator takes the planner's estimate once it is above
  `ESTIMATE_ABOVE` rows (PostgreSQL; other databases count), and the "N in all" second count is off.
- A search term goes to the one field whose index can answer it, never an OR across joined tables:
  a term with an "@" is a person's exact e-mail address, anything else the admin's own
  `search_fields` (local columns with a trigram index on `UPPER(column)`, which `icontains` asks for).
- 50 rows a page (rendering the rows is most of a changelist's time), list filters that offer known
  values rather than the distinct values of every row.
- No `date_hierarchy` on these tables: it lists the distinct years and months of every row. The
  `created_at` list filter (today, past 7 days, this month, this year) reads an index range instead.
"""

import json
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

# Below this many rows (as the planner guesses), the exact count is cheap enough to run.
ESTIMATE_ABOVE = 10_000


def planner_estimate(queryset: QuerySet) -> int | None:
    """The planner's guess of how many rows the queryset has (PostgreSQL), without reading them."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """A changelist paginator that counts exactly only what is small."""

    @cached_property
    def count(self) -> int:
        estimate = planner_estimate(self.object_list)
        if estimate is not None and estimate > ESTIMATE_ABOVE:
            return estimate
        return super().count


class LargeTableAdmin(admin.ModelAdmin):
    """Base of the changelists of large tables (see the module's docstring)."""

    show_full_result_count = False
    paginator = EstimatedCountPaginator
    # Rendering a row costs more than reading it: 50 rows keep a page of these tables well under 100 ms.
    list_per_page = 50
    # A search term is one phrase, matched by `search_fields` (local columns, `icontains`: each needs a
    # trigram index on UPPER(column)) or exactly by `search_exact_fields` (each needs a btree index).
    search_exact_fields: tuple[str, ...] = ()
    # The e-mail fields (`<path to a user>__email`) a term with an "@" is matched exactly against (lower
    # case, as stored), instead.
    search_email_fields: tuple[str, ...] = ()

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        return [*self.search_fields, *self.search_exact_fields, *self.search_email_fields]

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        term = search_term.strip()
        if not term:
            return queryset, False
        match = Q()
        if "@" in term and self.search_email_fields:
            # The person's id first, so the planner knows whose rows it reads (a creator with 100,000
            # videos is read from the owner's index in order, not joined and sorted).
            people = list(get_user_model().objects.filter(email=term.lower()).values_list("pk", flat=True))
            for name in self.search_email_fields:
                match |= Q(**{f"{name.removesuffix('__email')}__in": people})
            return queryset.filter(match), False
        for name in self.search_exact_fields:
            match |= Q(**{name: term})
        for name in self.search_fields:
            match |= Q(**{f"{name}__icontains": term})
        return queryset.filter(match), False


def choices_filter(field_name: str, title: Any, choices: list[tuple[str, Any]]) -> type[admin.SimpleListFilter]:
    """A list filter offering known values, instead of the distinct values of every row."""

    class ChoicesFilter(admin.SimpleListFilter):
        parameter_name = field_name

        def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
            return choices

        def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
            return queryset.filter(**{field_name: self.value()}) if self.value() else queryset

    ChoicesFilter.title = title
    return ChoicesFilter
