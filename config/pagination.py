"""Keyset ("cursor") pagination for every list, pages and API alike, and the capped count they show.

An `OFFSET` makes the database walk past every row before the page, and an exact `COUNT(*)` walks
them all: both grow with the list. A keyset page starts where the last one ended instead: the cursor
holds the ordering values of the last row seen (`created_at` and the id for most lists), and the next
page is `WHERE (created_at, id) < (those values) ORDER BY created_at DESC, id DESC LIMIT n`, which an
index on the workspace and `(created_at, id)` answers by reading n rows wherever the position is.

The ordering is the queryset's own (`order_by`, else the model's `Meta.ordering`); the primary key is
added as the last key so rows with equal values still have one place each (no duplicates, no skips).
Ordering keys must be non-null fields or annotations (a search's rank tier, computed in SQL). A
cursor is opaque to clients (base64 of JSON) and carries only values: it selects within the queryset
the caller was allowed to see, never around it.
"""

import base64
import binascii
import datetime
import decimal
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db.models import Model, Q, QuerySet
from django.db.models.sql.where import WhereNode

# Where a total is shown, it is counted up to here and shown as "1,000+" beyond: counting further
# costs a read of every row counted (10,000 matches of a title search take tens of milliseconds).
COUNT_CAP = 1_000


class InvalidCursor(ValueError):
    """A cursor that this list did not make (edited, truncated, or from another list)."""


@dataclass
class KeysetPage:
    object_list: list[Any]
    next_cursor: str | None = None
    previous_cursor: str | None = None

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __bool__(self) -> bool:
        return bool(self.object_list)

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @property
    def has_previous(self) -> bool:
        return self.previous_cursor is not None

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


def ordering_of(queryset: QuerySet) -> list[str]:
    """The queryset's ordering as field names, with the primary key last as the tie-breaker."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if not ordering or not all(isinstance(name, str) for name in ordering):
        raise ImproperlyConfigured(f"Keyset pagination needs an ordering of field names, not {ordering!r}.")
    ordering = ["-pk" if name == "-id" else "pk" if name == "id" else name for name in ordering]
    if ordering[-1].lstrip("-") != "pk":
        ordering.append("-pk" if ordering[-1].startswith("-") else "pk")
    return ordering


def _field(queryset: QuerySet, path: str) -> Any:
    """The model field (or the annotation's output field) a path of the ordering names."""
    if path in queryset.query.annotations:
        return queryset.query.annotations[path].output_field
    meta = queryset.model._meta
    parts = path.split("__")
    for part in parts[:-1]:
        meta = meta.get_field(part).related_model._meta
    return meta.pk if parts[-1] == "pk" else meta.get_field(parts[-1])


def _value_of(obj: Model, path: str) -> Any:
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


def _serialize(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def encode_cursor(values: Sequence[Any], *, backwards: bool = False) -> str:
    payload = json.dumps({"v": [_serialize(value) for value in values], "b": int(backwards)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *, queryset: QuerySet, ordering: Sequence[str]) -> tuple[list[Any], bool]:
    """The position values (as Python values of the ordering's fields) and the direction of a cursor."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        raw, backwards = payload["v"], bool(payload.get("b"))
        if not isinstance(raw, list) or len(raw) != len(ordering) or any(value is None for value in raw):
            raise InvalidCursor(cursor)
        values = [
            _field(queryset, name.lstrip("-")).to_python(value) for name, value in zip(ordering, raw, strict=True)
        ]
    except (ValueError, TypeError, KeyError, binascii.Error, ValidationError, FieldDoesNotExist) as exc:
        raise InvalidCursor(cursor) from exc
    return values, backwards


def cursor_for(obj: Model, *, ordering: Sequence[str], backwards: bool = False) -> str:
    """The cursor of the page that starts just after `obj` (just before it when `backwards`)."""
    return encode_cursor([_value_of(obj, name.lstrip("-")) for name in ordering], backwards=backwards)


def _beyond(ordering: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows after `values` in `ordering`: (a, b) < (x, y) spelled out, so mixed directions work too."""
    beyond = Q()
    equal: dict[str, Any] = {}
    for name, value in zip(ordering, values, strict=True):
        path = name.lstrip("-")
        beyond |= Q(**equal, **{f"{path}__{'lt' if name.startswith('-') else 'gt'}": value})
        equal[path] = value
    # The same bound on the first key alone, redundant but index-friendly: an index on the first key
    # can then start reading at the position instead of at the top of the list.
    first = ordering[0]
    return Q(**{f"{first.lstrip('-')}__{'lte' if first.startswith('-') else 'gte'}": values[0]}) & beyond


def _is_ranked(queryset: QuerySet, ordering: Sequence[str]) -> bool:
    """Whether the list is ordered by a computed key (an annotation, such as a search's rank tier)."""
    return any(name.lstrip("-") in queryset.query.annotations for name in ordering)


def _reversed(ordering: Sequence[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else f"-{name}" for name in ordering]


class KeysetPaginator:
    """Pages of `per_page` rows of a queryset in its own ordering, addressed by cursors."""

    def __init__(self, queryset: QuerySet, per_page: int) -> None:
        self.queryset = queryset
        self.per_page = per_page
        self.ordering = ordering_of(queryset)

    def page(self, cursor: str | None) -> KeysetPage:
        """The page a cursor points to; the first page without one. InvalidCursor for a forged one."""
        if not cursor:
            return self._page(self._read(self.queryset, self.ordering), None, False)
        values, backwards = decode_cursor(cursor, queryset=self.queryset, ordering=self.ordering)
        ordering = _reversed(self.ordering) if backwards else self.ordering
        return self._page(self._read(self.queryset.filter(_beyond(ordering, values)), ordering), values, backwards)

    def _read(self, queryset: QuerySet, ordering: list[str]) -> list[Any]:
        """The page's rows (one more than a page, to know whether another follows), in `ordering`."""
        # A ranked list sorts its candidates by a computed key, so no index hands them over in order:
        # every candidate is read and sorted. Where the sort needs none of the joins of
        # `select_related`, the keys are read bare first: those joins, made for every candidate before
        # the sort (the planner's choice for a few hundred rows and more), cost more than the sort
        # itself. The page's rows are then read with their joins by primary key.
        keys_first = (
            _is_ranked(queryset, ordering)
            and bool(queryset.query.select_related)
            and not any("__" in name for name in ordering)
        )
        if not keys_first:
            return list(queryset.order_by(*ordering)[: self.per_page + 1])
        bare = queryset.select_related(None).prefetch_related(None).order_by(*ordering)
        keys = list(bare.values_list("pk", flat=True)[: self.per_page + 1])
        if not keys:
            return []
        # By primary key alone: the keys are rows of the list already, and its own conditions beside
        # them (a candidate set of a thousand ids) would only mislead the planner's row estimate.
        by_key = queryset.order_by()
        by_key.query.where = WhereNode()
        rows = {row.pk: row for row in by_key.filter(pk__in=keys)}
        return [rows[key] for key in keys if key in rows]

    def _page(self, rows: list[Any], position: list[Any] | None, backwards: bool) -> KeysetPage:
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if backwards:
            rows.reverse()
        # Coming from a page, the way back is always open; going backwards, the way forward is.
        has_next = True if backwards else more
        has_previous = more if backwards else position is not None
        page = KeysetPage(rows)
        if has_next:
            page.next_cursor = cursor_for(rows[-1], ordering=self.ordering) if rows else encode_cursor(position or [])
        if has_previous:
            page.previous_cursor = (
                cursor_for(rows[0], ordering=self.ordering, backwards=True)
                if rows
                else encode_cursor(position or [], backwards=True)
            )
        return page


def keyset_page(queryset: QuerySet, *, per_page: int, cursor: str | None) -> KeysetPage:
    """A page for a web page: a cursor that is not valid (an edited link) shows the first page."""
    paginator = KeysetPaginator(queryset, per_page)
    try:
        return paginator.page(cursor)
    except InvalidCursor:
        return paginator.page(None)


def count_known(queryset: QuerySet, count: int) -> QuerySet:
    """Mark a queryset whose number of rows its maker already knows, so `capped_count` asks no query.

    The mark stays on this very queryset only: a filtered or otherwise derived one (a clone) has its
    own rows and is counted as usual.
    """
    queryset._known_count = count  # type: ignore[attr-defined]
    return queryset


def capped_count(queryset: QuerySet, *, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """How many rows, counted no further than `cap`: (count, whether there are more than cap)."""
    known = getattr(queryset, "_known_count", None)
    if known is not None:
        return min(known, cap), known > cap
    # In the list's own order: the planner then walks the list's index for cap rows. Unordered, it may
    # choose a sequential scan "until cap rows match", which reads the whole table when the rows
    # counted sit at its end (a busy creator's newest videos).
    # Except a ranked list (an annotated key, a search's rank tier): its rows are a bounded set of
    # candidates already (see videos.selectors), which the planner reads best unordered; in the order
    # of its other keys it would walk the whole table's index to find them.
    ordering = ordering_of(queryset)
    if _is_ranked(queryset, ordering):
        ordering = []
    counted = queryset.values("pk").order_by(*ordering)[: cap + 1].count()
    return min(counted, cap), counted > cap
