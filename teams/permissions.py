"""Who may do what. The one place that answers it, for pages, the API and the admin alike.

A personal object (no team) belongs to its owner alone. A team's object is governed by the
member's role; people outside the team must not even learn that it exists, so every
`<entity>_get_for_user` raises NotFound to them (a 404 on pages and in the API) and
PermissionDenied (403) only to members whose role does not allow the action.

Staff reach team services through the ops console only, where they act as the team's owners
(`acting_role`); every page and API view resolves its object here first, so staff outside a
team get the same 404 there as anyone else.
"""

from allauth.account.models import EmailAddress
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.errors import NotFound, PermissionDenied
from teams.comment_targets import CommentTarget, comment_target_lookup
from teams.models import ApiTokenLabel, Comment, Invitation, Membership, Notification, PushSubscription, Team, User
from teams.push_models import endpoint_digest


class Action(models.TextChoices):
    VIEW = "view", _("View")
    COMMENT = "comment", _("Comment")
    CREATE = "create", _("Create")
    EDIT = "edit", _("Edit")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    SCHEDULE = "schedule", _("Schedule")
    BRAND = "brand", _("Brand")
    MODERATE = "moderate", _("Moderate comments")
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
    Role.ADMIN: frozenset(_CONTENT | {Action.MODERATE, Action.MANAGE_MEMBERS}),
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
    """Whether the user may act on an object owned by `owner_id`, optionally in team `team_id`.

    The owner of a personal object may do everything with it, moderating its comments included.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if team_id is None:
        return owner_id == user.pk
    return can_act_on_team(user=user, team=team_id, action=action)


def owned_check(*, user: User, owner_id: int | None, team_id: int | None, action: str) -> None:
    """NotFound if the user may not even see the owned object, PermissionDenied if they may see
    it but not do `action`. The rule behind every content object's `_get_for_user`."""
    if not can_act_on_owned(user=user, owner_id=owner_id, team_id=team_id, action=Action.VIEW):
        raise NotFound()
    if action != Action.VIEW and not can_act_on_owned(user=user, owner_id=owner_id, team_id=team_id, action=action):
        raise PermissionDenied()


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


def acting_role(*, actor: User, team: Team) -> str | None:
    """The role `actor` acts with in `team`: their own, or owner for staff outside the team.

    Only team services ask this (so the rules hold whoever calls them, the ops console included);
    pages and the API 404 non-members through `team_get_for_user` before any service runs.
    """
    role = team_role_for(user=actor, team=team)
    if role is None and getattr(actor, "is_staff", False):
        return Role.OWNER
    return role


def require_team_role(*, actor: User, team: Team, action: str) -> str:
    """The role the actor acts with in the team, or PermissionDenied when it does not allow `action`."""
    role = acting_role(actor=actor, team=team)
    if role is None or not role_allows(role, action):
        raise PermissionDenied()
    return role


# --- One access helper per object kind -------------------------------------------------------


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


def membership_get_for_user(*, user: User, slug: str, user_id: int, action: str = Action.VIEW) -> Membership:
    """A member of the team `slug`, for a user allowed `action` there; `membership.team.role` is the user's role.

    Removing oneself (leaving) needs only VIEW; changing or removing others needs MANAGE_MEMBERS.
    """
    team = team_get_for_user(user=user, slug=slug, action=action)
    membership = Membership.objects.select_related("user").filter(team=team, user_id=user_id).first()
    if membership is None:
        raise NotFound()
    membership.team = team
    return membership


def invitation_get_for_user(
    *, user: User, slug: str, invitation_id: int, action: str = Action.MANAGE_MEMBERS
) -> Invitation:
    """One of the team's invitations, for its managers (re-send, revoke)."""
    team = team_get_for_user(user=user, slug=slug, action=action)
    invitation = Invitation.objects.select_related("invited_by").filter(pk=invitation_id, team=team).first()
    if invitation is None:
        raise NotFound()
    invitation.team = team
    return invitation


def user_has_email(*, user: User, email: str) -> bool:
    """Whether `email` is the user's sign-in address or one of their verified addresses."""
    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


def invitation_get_for_invitee(*, user: User, invitation_id: int) -> Invitation:
    """An invitation addressed to one of the user's addresses (to accept it without the link);
    anyone else's is NotFound."""
    invitation = Invitation.objects.select_related("team").filter(pk=invitation_id).first()
    if invitation is None or not getattr(user, "is_authenticated", False):
        raise NotFound()
    if not user_has_email(user=user, email=invitation.email):
        raise NotFound()
    return invitation


def notification_get_for_user(*, user: User, notification_id: int) -> Notification:
    """One of the user's own notifications; anyone else's is NotFound."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise NotFound()
    return notification


def push_subscription_get_for_user(*, user: User, endpoint: str) -> PushSubscription:
    """The user's own subscription for a browser's endpoint; anyone else's (or none) is NotFound."""
    if not getattr(user, "is_authenticated", False):
        raise NotFound()
    subscription = PushSubscription.objects.filter(endpoint_hash=endpoint_digest(endpoint), user=user).first()
    if subscription is None:
        raise NotFound()
    return subscription


def comment_target_get_for_user(*, user: User, target_id: int, action: str = Action.VIEW) -> CommentTarget:
    """The object a thread is about (a video), if the user may do `action` on it.

    Its owning app registered the lookup (see `teams.comment_targets`) and applies its own rule.
    """
    return comment_target_lookup()(user=user, target_id=target_id, action=action)


def comment_get_for_user(*, user: User, comment_id: int, action: str = Action.VIEW) -> Comment:
    """The comment if the user may do `action` with it; NotFound if they cannot see its video.

    VIEW: whoever sees the video. COMMENT (reply, resolve, reopen): whoever may comment on it.
    EDIT: its author, while they may comment. DELETE: its author, or a moderator of the video
    (the team's owners and admins, or the owner of a personal video).
    """
    comment = (
        Comment.objects.select_related("video__owner", "video__team", "author", "resolved_by", "parent")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        raise NotFound()
    video = comment.video
    owned = {"user": user, "owner_id": video.owner_id, "team_id": video.team_id}
    if action == Action.EDIT:
        owned_check(**owned, action=Action.COMMENT)
        if comment.author_id != user.pk:
            raise PermissionDenied(_("Only the author can edit a comment."))
    elif action == Action.DELETE:
        owned_check(**owned, action=Action.VIEW)
        if comment.author_id != user.pk and not can_act_on_owned(**owned, action=Action.MODERATE):
            raise PermissionDenied(_("Only the author or a team admin can delete this comment."))
    else:
        owned_check(**owned, action=action)
    return comment
