"""Onboarding writes."""

from django.db import transaction

from insights.event_names import EventName
from insights.events import record_event
from teams.models import User


@transaction.atomic
def onboarding_complete(*, user: User, steps: int) -> None:
    """Record that a person finished the onboarding tour (a guardrail of the onboarding experiment)."""
    record_event(name=EventName.ONBOARDING_COMPLETED, actor=user, subject=user, payload={"steps": steps})
