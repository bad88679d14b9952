"""Teams and their members: create, rename, delete; change roles, remove, leave.

Who may reach these at all is checked by the callers through `teams.permissions` (so non-members
get 404). The services enforce the rules that hold whoever calls them — the role hierarchy, and
that a team always keeps at least one owner — and check the role again
(`teams.permissions.require_team_role`, where staff act as owners) so an admin action or a task
cannot skip it.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from billing import limits
from config.errors import DomainError, PermissionDenied
from insights.event_names import EventName
from insights.events import record_event
from teams.models import Invitation, Membership, Team, User
from teams.notification_kinds import NotificationKind
from teams.permissions import Action, Role, require_team_role, role_can_manage
from teams.signals import team_deleting

# Slugs that would shadow a page under /teams/.
RESERVED_SLUGS = frozenset({"new", "invitations"})


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=False)[:80] or "team"
    if base in RESERVED_SLUGS:
        base = f"{base}-team"
    slug, n = base, 1
    while Team.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def lock_team(team: Team) -> None:
    """Serialise changes to one team's members, invitations and seats.

    Every service that adds, removes or re-roles a member (or takes a seat) locks the team row
    first, always in that order, so two owners stepping down at once cannot both pass the
    last-owner check, and two invitations cannot both take the last seat.
    """
    Team.objects.select_for_update().filter(pk=team.pk).values_list("pk", flat=True).first()


def seats_used(*, team: Team, exclude: Invitation | None = None) -> int:
    """Members plus invitations still waiting for an answer: both hold a seat."""
    now = timezone.now()
    pending = Invitation.objects.filter(team=team, accepted_at=None, revoked_at=None, expires_at__gt=now)
    if exclude is not None:
        pending = pending.exclude(pk=exclude.pk)
    # Both counts in one query (the team page shows it on every visit).
    members = Membership.objects.filter(team=team).order_by().values("team").annotate(n=Count("pk")).values("n")
    invited = pending.order_by().values("team").annotate(n=Count("pk")).values("n")
    counts = Team.objects.filter(pk=team.pk).values_list(Coalesce(Subquery(members), 0), Coalesce(Subquery(invited), 0))
    return sum(counts.get())


def notify_managers_of_new_member(*, team: Team, member: User) -> None:
    """Tell the team's owners and admins (but not the newcomer) that someone joined."""
    from teams.services.notifications import notification_send

    managers = Membership.objects.filter(team=team, role__in=[Role.OWNER, Role.ADMIN]).exclude(user=member)
    for manager in managers.select_related("user"):
        notification_send(
            recipient=manager.user,
            kind=NotificationKind.MEMBER_JOINED,
            params={"member": member.name, "team": team.name},
            target_url=team_url(team),
        )


def _owner_ids(team: Team) -> list[int]:
    return list(Membership.objects.filter(team=team, role=Role.OWNER).values_list("user_id", flat=True))


@transaction.atomic
def team_create(*, creator: User, name: str, language: str = "en") -> Team:
    """Create a team with `creator` as its first owner."""
    name = name.strip()
    if not name:
        raise DomainError(_("Give the team a name."), field="name")
    for _attempt in range(3):
        try:
            with transaction.atomic():
                team = Team.objects.create(name=name, slug=_unique_slug(name), language=language, created_by=creator)
            break
        except IntegrityError:  # a concurrent team took the same slug; pick another
            continue
    else:
        raise DomainError(_("Could not create the team. Please try again."))
    Membership.objects.create(team=team, user=creator, role=Role.OWNER)
    record_event(name=EventName.TEAM_CREATED, actor=creator, subject=team)
    return team


@transaction.atomic
def team_update(*, team: Team, actor: User, name: str | None = None, language: str | None = None) -> Team:
    """Rename the team or change the language its e-mails are written in (owners and admins)."""
    require_team_role(actor=actor, team=team, action=Action.MANAGE_MEMBERS)
    changed = []
    if name is not None and name.strip() and name.strip() != team.name:
        team.name = name.strip()
        changed.append("name")
    if language is not None and language != team.language:
        team.language = language
        changed.append("language")
    if changed:
        team.full_clean(exclude=["slug", "created_by"])
        team.save(update_fields=changed)
    return team


@transaction.atomic
def team_delete(*, team: Team, actor: User) -> None:
    """Delete the team and everything in it, stored files included.

    Owners only; staff act as owners (the ops console deletes teams through here too).
    """
    require_team_role(actor=actor, team=team, action=Action.DELETE_TEAM)
    record_event(name=EventName.TEAM_DELETED, actor=actor, payload={"team_id": team.pk, "name": team.name})
    # The database would cascade to the content but leave its files in storage: each content app
    # deletes its own rows and files when told, the files once the transaction commits.
    team_deleting.send(sender=Team, team=team, actor=actor)
    team.delete()


@transaction.atomic
def membership_add(*, team: Team, actor: User, user: User, role: str) -> Membership:
    """Make someone a member directly, without an invitation (the ops console does this).

    The same rules as inviting: the actor's role must be allowed to hand out `role`, and the team
    must have a free seat on its plan. The new member is told their role; managers are told too.
    """
    from teams.services.notifications import notification_send

    if role not in Role.values:
        raise DomainError(_("Choose a valid role."), field="role")
    lock_team(team)  # concurrent additions must not both take the last seat
    actor_role = require_team_role(actor=actor, team=team, action=Action.MANAGE_MEMBERS)
    if not role_can_manage(actor_role=actor_role, target_role=role):
        raise PermissionDenied(_("Only owners can change an owner's role or make someone an owner."))
    if Membership.objects.filter(team=team, user=user).exists():
        raise DomainError(_("%(email)s is already a member of this team.") % {"email": user.email}, field="user")
    limits.check(team, limits.Limit.TEAM_SEATS, used=seats_used(team=team))
    membership = Membership.objects.create(team=team, user=user, role=role, created_at=timezone.now())
    record_event(
        name=EventName.TEAM_MEMBER_JOINED,
        actor=actor,
        subject=team,
        payload={"user_id": user.pk, "role": role, "added_by": actor.pk},
    )
    if user.pk != actor.pk:
        notification_send(
            recipient=user,
            kind=NotificationKind.ROLE_CHANGED,
            params={"team": team.name, "role": role},
            target_url=team_url(team),
        )
    notify_managers_of_new_member(team=team, member=user)
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, actor: User, role: str) -> Membership:
    """Give a member another role, within what the actor's own role allows."""
    from teams.services.notifications import notification_send

    if role not in Role.values:
        raise DomainError(_("Choose a valid role."), field="role")
    team = membership.team
    lock_team(team)
    # Roles are read under the lock, so they cannot change between the checks and the write.
    actor_role = require_team_role(actor=actor, team=team, action=Action.MANAGE_MEMBERS)
    membership = Membership.objects.select_related("user", "team").get(pk=membership.pk)
    if not (
        role_can_manage(actor_role=actor_role, target_role=membership.role)
        and role_can_manage(actor_role=actor_role, target_role=role)
    ):
        raise PermissionDenied(_("Only owners can change an owner's role or make someone an owner."))
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER and _owner_ids(team) == [membership.user_id]:
        raise DomainError(_("A team needs at least one owner. Make someone else an owner first."), code="last_owner")
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record_event(
        name=EventName.TEAM_MEMBER_ROLE_CHANGED,
        actor=actor,
        subject=team,
        payload={"user_id": membership.user_id, "from": old, "to": role},
    )
    if membership.user_id != actor.pk:
        notification_send(
            recipient=membership.user,
            kind=NotificationKind.ROLE_CHANGED,
            params={"team": team.name, "role": role},
            target_url=team_url(team),
        )
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User) -> None:
    """Remove a member from the team, or let a member leave (when `actor` is that member)."""
    team = membership.team
    lock_team(team)
    # Re-read under the lock: the role may have changed since the caller loaded it.
    current = Membership.objects.filter(pk=membership.pk).first()
    if current is None:
        return  # already gone; removing twice is not an error
    leaving = current.user_id == actor.pk
    if not leaving:
        actor_role = require_team_role(actor=actor, team=team, action=Action.MANAGE_MEMBERS)
        if not role_can_manage(actor_role=actor_role, target_role=current.role):
            raise PermissionDenied(_("Only owners can remove an owner."))
    if current.role == Role.OWNER and _owner_ids(team) == [current.user_id]:
        if leaving:
            message = _("You are the last owner. Make someone else an owner, or delete the team.")
        else:
            message = _("A team needs at least one owner. Make someone else an owner first.")
        raise DomainError(message, code="last_owner")
    record_event(
        name=EventName.TEAM_MEMBER_REMOVED,
        actor=actor,
        subject=team,
        payload={"user_id": current.user_id, "left": leaving},
    )
    current.delete()


def team_url(team: Team) -> str:
    from django.urls import reverse

    return reverse("team_detail", kwargs={"slug": team.slug})
