"""Reads for the teams app: lists scoped to the person asking."""

from django.db.models import Case, Count, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.utils import timezone

from teams.models import Invitation, Membership, Notification, Team, User


def team_list_for_user(*, user: User) -> QuerySet[Team]:
    """The user's teams with their role (`team.role`) and member count (`team.member_count`)."""
    # Filter through a subquery: filtering on memberships__user would also restrict the count.
    return (
        Team.objects.filter(pk__in=Membership.objects.filter(user=user).values("team_id"))
        .annotate(role=_role_of(user), member_count=Count("memberships"))
        .order_by("name", "pk")
    )


def _role_of(user: User) -> Subquery:
    return Subquery(
        Membership.objects.filter(team=OuterRef("pk"), user=user).values("role")[:1],
    )


def workspace_list_for_user(*, user: User) -> list[tuple[int, str]]:
    """(id, name) of every team the user belongs to, for the workspace switcher: one query."""
    return list(Team.objects.filter(memberships__user=user).order_by("name", "pk").values_list("pk", "name"))


def membership_list_for_team(*, team: Team) -> QuerySet[Membership]:
    """The team's members, owners first."""
    rank = Case(
        *(When(role=role, then=Value(i)) for i, role in enumerate(Membership.Role.values)),
        output_field=IntegerField(),
    )
    return (
        Membership.objects.filter(team=team)
        .select_related("user")
        .annotate(rank=rank)
        .order_by("rank", "user__email", "pk")
    )


def membership_get(*, team: Team, user_id: int) -> Membership | None:
    return Membership.objects.select_related("user", "team").filter(team=team, user_id=user_id).first()


def invitation_list_pending_for_team(*, team: Team) -> QuerySet[Invitation]:
    """Invitations not yet accepted or revoked, newest first; expired ones included (they can be re-sent)."""
    return (
        Invitation.objects.filter(team=team, accepted_at=None, revoked_at=None)
        .select_related("invited_by", "team")
        .order_by("-sent_at", "-pk")
    )


def invitation_list_for_email(*, user: User) -> QuerySet[Invitation]:
    """Open, unexpired invitations addressed to the user's sign-in address."""
    return (
        Invitation.objects.filter(
            email__iexact=user.email, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
        )
        .exclude(team__memberships__user=user)
        .select_related("team", "invited_by")
        .order_by("-sent_at", "-pk")
    )


def notification_list_for_user(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's inbox, newest first."""
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at=None)
    return qs.order_by("-created_at", "-pk")


def notification_unread_count(*, user: User) -> int:
    """How many unread notifications the user has (one indexed COUNT)."""
    return Notification.objects.filter(recipient=user, read_at=None).count()
