"""Who may do what. The one place that answers it, for pages, the API and the admin alike.

A personal object (no team) belongs to its owner alone. A team's object is governed by the
member's role; people outside the team must not even learn that it exists (callers turn a
refusal to VIEW into a 404).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from teams.models import Membership, Team, User


class Action(models.TextChoices):
    VIEW = "view", _("View")
    COMMENT = "comment", _("Comment")
    CREATE = "create", _("Create")
    EDIT = "edit", _("Edit")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    SCHEDULE = "schedule", _("Schedule")
    BRAND = "brand", _("Brand")
    MANAGE_MEMBERS = "manage_members", _("Manage members")
    BILLING = "billing", _("Billing")
    DELETE_TEAM = "delete_team", _("Delete team")


Role = Membership.Role

_CONTENT = {
    Action.VIEW,
    Action.COMMENT,
    Action.CREATE,
    Action.EDIT,
    Action.DELETE,
    Action.EXPORT,
    Action.SCHEDULE,
    Action.BRAND,
}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OWNER: frozenset(Action.values),
    Role.ADMIN: frozenset(_CONTENT | {Action.MANAGE_MEMBERS}),
    Role.EDITOR: frozenset(_CONTENT),
    Role.VIEWER: frozenset({Action.VIEW, Action.COMMENT}),
}


def role_allows(role: str | None, action: str) -> bool:
    """Whether a team role permits an action; no role permits nothing."""
    return role is not None and action in ROLE_ACTIONS.get(role, frozenset())


def team_role_for(*, user: User, team: Team | int) -> str | None:
    """The user's role in the team, or None for non-members and signed-out visitors."""
    if not getattr(user, "is_authenticated", False):
        return None
    team_id = team.pk if isinstance(team, Team) else team
    return Membership.objects.filter(user=user, team_id=team_id).values_list("role", flat=True).first()


def can_act_on_team(*, user: User, team: Team | int, action: str) -> bool:
    """Whether the user may perform `action` in the team."""
    return role_allows(team_role_for(user=user, team=team), action)


def can_act_on_owned(*, user: User, owner_id: int | None, team_id: int | None, action: str) -> bool:
    """Whether the user may act on an object owned by `owner_id`, optionally in team `team_id`."""
    if not getattr(user, "is_authenticated", False):
        return False
    if team_id is None:
        return owner_id == user.pk
    return can_act_on_team(user=user, team=team_id, action=action)
