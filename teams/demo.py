"""Demo data for teams: a team with a teammate, a pending invitation and a few notifications."""

from allauth.account.models import EmailAddress

from teams.models import Invitation, Membership, Notification, Team, User
from teams.notification_kinds import NotificationKind
from teams.services import invitation_create, notification_send, team_create

DEMO_TEAM_SLUG = "demo-studio"
DEMO_TEAMMATE_EMAIL = "teammate@videocreator.local"


def load(*, creator: User, staff: User) -> None:
    """Create the demo team once; running it again changes nothing."""
    if Team.objects.filter(slug=DEMO_TEAM_SLUG).exists():
        return
    team = team_create(creator=creator, name="Demo Studio")
    if team.slug != DEMO_TEAM_SLUG:
        Team.objects.filter(pk=team.pk).update(slug=DEMO_TEAM_SLUG)
        team.slug = DEMO_TEAM_SLUG
    teammate, _created = User.objects.get_or_create(
        email=DEMO_TEAMMATE_EMAIL, defaults={"display_name": "Tess Teammate"}
    )
    if _created:
        teammate.set_unusable_password()
        teammate.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(user=teammate, email=teammate.email, defaults={"verified": True})
    Membership.objects.get_or_create(team=team, user=teammate, defaults={"role": Membership.Role.EDITOR})
    if not Invitation.objects.filter(team=team).exists():
        invitation_create(team=team, actor=creator, email="new.colleague@example.com", role=Membership.Role.VIEWER)
    if not Notification.objects.filter(recipient=creator).exists():
        notification_send(
            recipient=creator,
            kind=NotificationKind.MEMBER_JOINED,
            params={"member": teammate.name, "team": team.name},
            target_url=f"/teams/{team.slug}/",
            email=False,
        )


def load_comments(*, creator: User, staff: User) -> None:
    """A few review comments on the demo creator's first video (after the videos demo ran); once only."""
    from teams.models import Comment
    from teams.services import comment_create, comment_resolve

    # Through the creator's relation, so teams never reaches into the app that owns videos.
    video = creator.videos.filter(team__isnull=True).order_by("created_at", "pk").first()
    if video is None or Comment.objects.filter(video=video).exists():
        return
    first = comment_create(video=video, author=creator, body="The title could stay a beat longer.", timestamp_seconds=1)
    comment_create(video=video, author=creator, body="Agreed — try half a second more.", parent_id=first.pk)
    done = comment_create(video=video, author=creator, body="Music starts too loud.", timestamp_seconds=0)
    comment_resolve(comment=done, actor=creator)
