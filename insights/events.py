"""The one way to record a domain event (DESIGN.md §3). Apps never call webhooks directly."""

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from insights.event_names import PUBLIC_EVENTS, EventName
from insights.models import Event


@transaction.atomic
def record_event(
    *,
    name: str,
    actor: Any = None,
    subject: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> Event:
    """Write one event inside the caller's transaction, so it rolls back with the change."""
    if name not in EventName.values:
        raise ValueError(f"Unknown event name {name!r}; add it to EventName first.")
    event = Event(
        name=str(name),
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        payload=payload or {},
        is_public=name in PUBLIC_EVENTS,
        occurred_at=timezone.now(),
    )
    if subject is not None:
        event.subject_type = ContentType.objects.get_for_model(subject)
        event.subject_id = str(subject.pk)
    event.save()
    if event.is_public:
        # The outbox: deliveries are written in this same transaction (insights.services.webhooks).
        from insights.services.webhooks import webhook_deliveries_create_for_event

        webhook_deliveries_create_for_event(event=event, subject=subject)
    return event


def record_events_bulk(*, name: str, rows: list[tuple[int | None, dict[str, Any], datetime]]) -> int:
    """Write many internal (non-webhook) events of one name at once: (actor id, payload, when) each.

    For high-volume analytics that was buffered outside the request (page views); a public event
    must go through `record_event`, which also writes its webhook deliveries.
    """
    if name not in EventName.values:
        raise ValueError(f"Unknown event name {name!r}; add it to EventName first.")
    if name in PUBLIC_EVENTS:
        raise ValueError(f"{name!r} is public: record it with record_event so webhooks see it.")
    events = [
        Event(name=str(name), actor_id=actor_id, payload=payload, is_public=False, occurred_at=at)
        for actor_id, payload, at in rows
    ]
    Event.objects.bulk_create(events, batch_size=1000)
    return len(events)
