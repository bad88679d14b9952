"""Domain events are written once, in the same transaction as the change that caused them."""

import pytest
from django.db import transaction

from insights.event_names import PUBLIC_EVENTS, EventName
from insights.events import record_event
from insights.models import Event
from teams.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_event_commits_with_its_change(creator):
    with transaction.atomic():
        creator.display_name = "Renamed"
        creator.save(update_fields=["display_name"])
        record_event(name=EventName.USER_PROFILE_UPDATED, actor=creator, subject=creator, payload={"n": 1})
    event = Event.objects.get()
    assert (event.name, event.actor, event.subject_id, event.payload) == (
        "user.profile_updated",
        creator,
        str(creator.pk),
        {"n": 1},
    )
    assert event.subject_type.model_class() is User
    assert event.is_public is False


def test_an_event_rolls_back_with_its_change(creator):
    with pytest.raises(RuntimeError), transaction.atomic():
        creator.display_name = "Never saved"
        creator.save(update_fields=["display_name"])
        record_event(name=EventName.USER_PROFILE_UPDATED, actor=creator, subject=creator)
        raise RuntimeError("the change failed")
    assert not Event.objects.exists()
    creator.refresh_from_db()
    assert creator.display_name == "Cora Creator"


def test_public_events_are_marked_for_webhooks(creator):
    event = record_event(name=EventName.PAYMENT_SUCCEEDED, actor=creator, payload={"amount": 1200})
    assert event.is_public is True
    # DESIGN.md §3's list, in order.
    assert [str(e) for e in PUBLIC_EVENTS] == [
        "video.created",
        "video.rendered",
        "video.published",
        "video.deleted",
        "export.ready",
        "comment.created",
        "user.subscribed",
        "user.cancelled",
        "payment.succeeded",
        "payment.failed",
    ]


def test_an_unknown_event_name_is_refused():
    with pytest.raises(ValueError, match="Unknown event name"):
        record_event(name="video.exploded")
    assert not Event.objects.exists()
