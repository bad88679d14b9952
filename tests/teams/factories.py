import secrets

import factory
from django.utils import timezone

from teams.models import Invitation, Membership, Notification, Team
from teams.services.invitations import INVITATION_VALID_FOR, token_hash
from tests.factories import UserFactory


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")
    language = "en"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.VIEWER


def make_invitation(*, team: Team, email: str, role: str = Membership.Role.EDITOR, **fields: object) -> tuple:
    """An invitation and its plain token, as if it had just been e-mailed."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        team=team,
        email=email,
        role=role,
        token_hash=token_hash(token),
        expires_at=now + INVITATION_VALID_FOR,
        **fields,
    )
    return invitation, token


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "member_joined"
    params = factory.LazyFunction(lambda: {"member": "Mia", "team": "Studio"})
    target_url = "/teams/"
