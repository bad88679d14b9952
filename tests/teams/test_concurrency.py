"""Two requests at once must not break the team rules (PostgreSQL row locks)."""

import pytest
from django.db import connection  # noqa: F401 (the skipif condition below reads it)

from config.errors import LimitReached
from teams import services
from teams.models import Invitation, Membership
from tests.concurrency import run_while_first_holds_the_lock
from tests.factories import UserFactory
from tests.teams.factories import MembershipFactory, TeamFactory

Role = Membership.Role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_two_owners_stepping_down_at_once_leave_one_owner():
    team = TeamFactory()
    ana, ben = UserFactory(), UserFactory()
    ana_membership = MembershipFactory(team=team, user=ana, role=Role.OWNER)
    ben_membership = MembershipFactory(team=team, user=ben, role=Role.OWNER)
    results = run_while_first_holds_the_lock(
        lambda: services.membership_change_role(membership=ana_membership, actor=ana, role=Role.EDITOR),
        lambda: services.membership_change_role(membership=ben_membership, actor=ben, role=Role.EDITOR),
    )
    assert results == {"first": "ok", "second": "last_owner"}
    assert list(Membership.objects.filter(team=team, role=Role.OWNER).values_list("user", flat=True)) == [ben.pk]


def test_two_invitations_cannot_both_take_the_last_seat():
    team = TeamFactory()
    owner = UserFactory()
    MembershipFactory(team=team, user=owner, role=Role.OWNER)
    MembershipFactory(team=team, role=Role.EDITOR)  # 2 of 3 seats taken
    results = run_while_first_holds_the_lock(
        lambda: services.invitation_create(team=team, actor=owner, email="a@example.com", role=Role.VIEWER),
        lambda: services.invitation_create(team=team, actor=owner, email="b@example.com", role=Role.VIEWER),
    )
    assert results == {"first": "ok", "second": "limit_team_seats"}
    assert list(Invitation.objects.values_list("email", flat=True)) == ["a@example.com"]
    assert LimitReached.status_code == 402
