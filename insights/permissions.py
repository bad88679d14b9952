"""Who may see and manage webhook endpoints and their deliveries (pages, API and admin alike).

A personal endpoint is its owner's alone. A team's endpoint is seen and managed by the team's
owners and admins; other members get PermissionDenied, outsiders NotFound, like everything else.
"""

from config.errors import NotFound, PermissionDenied
from insights.models import SupportRequest, WebhookDelivery, WebhookEndpoint
from teams.models import Membership, Team, User
from teams.permissions import Action, team_get_for_user, team_role_for

MANAGER_ROLES = frozenset({Membership.Role.OWNER, Membership.Role.ADMIN})


def webhook_team_get_for_user(*, user: User, slug: str) -> Team:
    """A team whose endpoints the user manages (owner or admin)."""
    team = team_get_for_user(user=user, slug=slug, action=Action.VIEW)
    if team.role not in MANAGER_ROLES:
        raise PermissionDenied()
    return team


def _check(*, user: User, endpoint: WebhookEndpoint) -> None:
    if endpoint.team_id is None:
        if endpoint.owner_id != user.pk:
            raise NotFound()
        return
    role = team_role_for(user=user, team=endpoint.team_id)
    if role is None:
        raise NotFound()
    if role not in MANAGER_ROLES:
        raise PermissionDenied()


def webhook_endpoint_get_for_user(*, user: User, endpoint_id: int) -> WebhookEndpoint:
    """An endpoint the user manages; someone else's (or an unknown id) is NotFound."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    endpoint = WebhookEndpoint.objects.select_related("team").filter(pk=endpoint_id).first()
    if endpoint is None:
        raise NotFound()
    _check(user=user, endpoint=endpoint)
    return endpoint


def webhook_delivery_get_for_user(*, user: User, delivery_id: int) -> WebhookDelivery:
    """A delivery of an endpoint the user manages; anything else is NotFound."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    delivery = WebhookDelivery.objects.select_related("endpoint__team").filter(pk=delivery_id).first()
    if delivery is None:
        raise NotFound()
    _check(user=user, endpoint=delivery.endpoint)
    return delivery


def support_request_get_for_user(*, user: User, request_id: int) -> SupportRequest:
    """The person's own support request; anyone else's (or an unknown id) is NotFound."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    request = SupportRequest.objects.filter(pk=request_id, user_id=user.pk).first()
    if request is None:
        raise NotFound()
    return request
