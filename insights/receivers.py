"""Insights cleans up after deleted people (connected in InsightsConfig.ready): teams announces, we act."""

from typing import Any

from django.dispatch import receiver

from insights.services.support import support_requests_delete_for
from teams.models import User
from teams.signals import user_deleting


@receiver(user_deleting, dispatch_uid="insights.delete_support_requests_of_user")
def _delete_support_requests_of_user(sender: Any, *, user: User, actor: User | None, **kwargs: Any) -> None:
    # The rows would cascade with the person, but not the screenshots in storage.
    support_requests_delete_for(user=user)
