"""Who may do what. The one place that answers it, for pages, the API and the admin alike.

A personal object (no team) belongs to its owner alone. A team's object is governed by the
member's role; people outside the team must not even learn that it exists (callers turn a
refusal to VIEW into a 404).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from config.errors import NotFound, PermissionDenied
from teams.models import ApiTokenLabel, Membership, Team, User


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


# Higher ranks may manage lower ones. An admin manages admins, editors and viewers but never
# owners, and cannot hand out the owner role: only owners decide who else owns the team.
ROLE_RANK: dict[str, int] = {Role.VIEWER: 1, Role.EDITOR: 2, Role.ADMIN: 3, Role.OWNER: 4}


def role_can_manage(*, actor_role: str | None, target_role: str) -> bool:
    """Whether someone with `actor_role` may assign, change or remove `target_role`."""
    if not role_allows(actor_role, Action.MANAGE_MEMBERS):
        return False
    if actor_role == Role.OWNER:
        return True
    return ROLE_RANK.get(target_role, 99) < ROLE_RANK[Role.OWNER]


def roles_assignable_by(actor_role: str | None) -> list[str]:
    """The roles `actor_role` may give to someone, highest first."""
    return [
        role
        for role in (Role.OWNER, Role.ADMIN, Role.EDITOR, Role.VIEWER)
        if role_can_manage(actor_role=actor_role, target_role=role)
    ]


def team_get_for_user(
    *, user: User, action: str = Action.VIEW, team_id: int | None = None, slug: str | None = None
) -> Team:
    """The team, with `team.role` set to the user's role, if the user may do `action` in it.

    Non-members (and unknown teams) get NotFound so existence never leaks; members whose role
    does not allow `action` get PermissionDenied.
    """
    if (team_id is None) == (slug is None):
        raise ValueError("Pass exactly one of team_id or slug.")
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    lookup = {"pk": team_id} if team_id is not None else {"slug": slug}
    team = Team.objects.filter(**lookup, memberships__user=user).annotate(role=models.F("memberships__role")).first()
    if team is None:
        raise NotFound()
    if not role_allows(team.role, action):
        raise PermissionDenied()
    return team


def api_token_get_for_user(*, user: User, token_id: int) -> ApiTokenLabel:
    """One of the user's own API tokens; anyone else's (or an unknown id) is NotFound."""
    token = ApiTokenLabel.objects.select_related("token").filter(pk=token_id, token__user_id=user.pk).first()
    if token is None:
        raise NotFound()
    return token
