"""growth listens to allauth's signup: a visitor's exposures become the new account's."""

from typing import Any

from allauth.account.signals import user_signed_up
from django.dispatch import receiver
from django.http import HttpRequest

from growth.assignment import ANONYMOUS_COOKIE, visitor_id
from growth.services.experiments import experiment_assignments_link


@receiver(user_signed_up)
def _link_visitor_exposures(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None:
        return
    if ANONYMOUS_COOKIE in request.COOKIES or hasattr(request, "_experiment_visitor_id"):
        experiment_assignments_link(anonymous_id=visitor_id(request), user=user)
