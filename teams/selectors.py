"""Reads for the teams app: lists scoped to the person asking."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from config.pagination import capped_count
from teams.comment_targets import CommentTarget
from teams.models import ApiTokenLabel, Comment, Invitation, Membership, Notification, PushDelivery, Team, User
from teams.notification_kinds import NotificationKind


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


# The bell on every page counts unread notifications up to here and shows "99+" beyond: an exact count
# reads every unread one (tens of thousands for a busy person, milliseconds on every page).
BELL_CAP = 99


@dataclass(frozen=True)
class UnreadBadge:
    count: int  # at most BELL_CAP
    more: bool  # there are more than `count`


def notification_unread_badge(*, user: User) -> UnreadBadge:
    """The bell's figure: unread notifications counted up to BELL_CAP (newest first, from their index)."""
    count, more = capped_count(notification_list_for_user(user=user, unread_only=True), cap=BELL_CAP)
    return UnreadBadge(count=count, more=more)


def comment_mention_candidates(*, video: CommentTarget) -> list[User]:
    """Who can be mentioned on a video: its team's members, or the owner of a personal video."""
    if video.team_id is None:
        return [video.owner]
    return list(User.objects.filter(memberships__team_id=video.team_id, is_active=True).order_by("display_name", "pk"))


def comment_mention_search(*, video: CommentTarget, query: str, limit: int = 8) -> list[User]:
    """Members who can be mentioned whose name or e-mail starts a word with `query` (autocomplete)."""
    query = query.strip().lstrip("@[").casefold()
    people = comment_mention_candidates(video=video)
    if query:
        people = [
            user
            for user in people
            if any(word.startswith(query) for word in (user.name.casefold(), user.email.casefold()))
            or any(part.startswith(query) for part in user.name.casefold().split())
        ]
    return people[:limit]


def comment_list_for_video(*, video: CommentTarget, resolved: bool | None = None) -> QuerySet[Comment]:
    """The video's threads in timeline order, each with its replies and mentions prefetched.

    `resolved=False` hides resolved threads, `True` shows only them, None shows all.
    """
    replies = Comment.objects.select_related("author").prefetch_related("mentions").order_by("created_at", "pk")
    threads = Comment.objects.filter(video=video, parent__isnull=True)
    if resolved is not None:
        threads = threads.filter(resolved_at__isnull=not resolved)
    return (
        threads.select_related("author", "resolved_by")
        .prefetch_related("mentions", Prefetch("replies", queryset=replies))
        .order_by("timestamp_seconds", "created_at", "pk")
    )


def api_token_list_for_user(*, user: User) -> QuerySet[ApiTokenLabel]:
    """The user's API tokens that still work, newest first."""
    return (
        ApiTokenLabel.objects.filter(token__user=user)
        .filter(Q(token__expiry__isnull=True) | Q(token__expiry__gt=timezone.now()))
        .select_related("token")
        .order_by("-token__created", "-pk")
    )


def push_stats_by_kind(*, since: datetime) -> list[dict]:
    """Pushes per notification kind since `since`: sent → shown → clicked, with rates (one query)."""
    rows = (
        PushDelivery.objects.filter(created_at__gte=since)
        .values("kind")
        .annotate(
            created=Count("pk"),
            sent=Count("pk", filter=Q(status=PushDelivery.Status.SENT)),
            shown=Count("pk", filter=Q(shown_at__isnull=False)),
            clicked=Count("pk", filter=Q(clicked_at__isnull=False)),
            gone=Count("pk", filter=Q(status=PushDelivery.Status.GONE)),
            failed=Count("pk", filter=Q(status=PushDelivery.Status.FAILED)),
        )
        .order_by("kind")
    )
    stats = []
    for row in rows:
        try:
            row["label"] = NotificationKind(row["kind"]).label
        except ValueError:
            row["label"] = row["kind"]
        row["shown_rate"] = row["shown"] / row["sent"] if row["sent"] else None
        row["click_rate"] = row["clicked"] / row["shown"] if row["shown"] else None
        stats.append(row)
    return stats
