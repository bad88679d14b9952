"""The one way to record a domain event (DESIGN.md §3). Apps never call webhooks directly."""

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
