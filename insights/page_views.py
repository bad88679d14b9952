"""Page views: buffered in the shared cache by the request, written to the event log in bulk.

A request pays two cache round trips (a counter and one slot); `page_views_flush` (a beat task
every minute, and inline once the buffer holds PAGE_VIEWS_FLUSH_AT views, which is what keeps the
embedded default's per-process cache flushed) moves the buffered views into `page.viewed` events
with one INSERT per thousand. A view whose slot was written in the microseconds while a flush ran
may be lost: these are analytics, not money.
"""

import logging
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache

from insights.event_names import EventName
from insights.events import record_events_bulk

logger = logging.getLogger(__name__)

SEQUENCE_KEY = "insights:pv:seq"
FLUSHED_KEY = "insights:pv:flushed"
LOCK_KEY = "insights:pv:lock"
SLOT_PREFIX = "insights:pv:"
SLOT_TTL_SECONDS = 2 * 24 * 3600
CHUNK = 1000


def page_view_buffer(*, visitor: str, path: str, actor_id: int | None, at: datetime) -> None:
    """Keep one page view for the next flush (cheap enough for every request)."""
    try:
        number = cache.incr(SEQUENCE_KEY)
    except ValueError:
        cache.add(SEQUENCE_KEY, 0, timeout=None)
        number = cache.incr(SEQUENCE_KEY)
    cache.set(f"{SLOT_PREFIX}{number}", (visitor, path[:300], actor_id, at.timestamp()), timeout=SLOT_TTL_SECONDS)
    if number % settings.PAGE_VIEWS_FLUSH_AT == 0:
        page_views_flush()


def page_views_flush() -> int:
    """Move the buffered page views into the event log; returns how many were written."""
    if not cache.add(LOCK_KEY, 1, timeout=120):
        return 0  # another flush is running
    written = 0
    try:
        top = cache.get(SEQUENCE_KEY) or 0
        done = cache.get(FLUSHED_KEY) or 0
        if done > top:  # the cache was cleared and the counter started again
            done = 0
        while done < top:
            end = min(done + CHUNK, top)
            keys = [f"{SLOT_PREFIX}{n}" for n in range(done + 1, end + 1)]
            found: dict[str, Any] = cache.get_many(keys)
            rows = [
                (actor_id, {"visitor": visitor, "path": path}, datetime.fromtimestamp(ts, tz=UTC))
                for visitor, path, actor_id, ts in (found[key] for key in keys if key in found)
            ]
            if rows:
                written += record_events_bulk(name=EventName.PAGE_VIEWED, rows=rows)
            cache.set(FLUSHED_KEY, end, timeout=None)
            cache.delete_many(keys)
            done = end
    finally:
        cache.delete(LOCK_KEY)
    return written
