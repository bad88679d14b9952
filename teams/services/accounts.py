"""Accounts: profile preferences, deletion."""

from django.db import transaction

from insights.event_names import EventName
from insights.events import record_event
from teams.models import User
from teams.signals import user_deleting


@transaction.atomic
def user_update_preferences(
    *,
    user: User,
    display_name: str | None = None,
    language: str | None = None,
    time_zone: str | None = None,
    country: str | None = None,
    actor: User | None = None,
) -> User:
    """Save a person's profile fields; validates before writing.

    `actor` is whoever made the change when it is not the person (staff in the ops console).
    """
    changed = []
    for field, value in (
        ("display_name", display_name),
        ("language", language),
        ("time_zone", time_zone),
        ("country", country),
    ):
        if value is not None and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if changed:
        user.full_clean(exclude=["password", "email"])
        user.save(update_fields=changed)
        record_event(
            name=EventName.USER_PROFILE_UPDATED, actor=actor or user, subject=user, payload={"fields": changed}
        )
    return user


@transaction.atomic
def user_destroy(*, user: User, actor: User | None) -> None:
    """Delete an account and everything it owns, stored files included (no permission check)."""
    # The database would cascade to the content but leave its files in storage: each content app
    # deletes its own rows and files when told.
    user_deleting.send(sender=User, user=user, actor=actor)
    user.delete()
