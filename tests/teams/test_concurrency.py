"""Two requests at once must not break the team rules (PostgreSQL row locks)."""

import threading
import time

import pytest
from django.db import connection, transaction

from config.errors import DomainError, LimitReached
from teams import services
from teams.models import Invitation, Membership
from tests.factories import UserFactory
from tests.teams.factories import MembershipFactory, TeamFactory

Role = Membership.Role

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def run_while_first_holds_the_lock(first, second) -> dict[str, str]:
    """Run `first` in a transaction that stays open while `second` starts, then let it commit."""
    results: dict[str, str] = {}
    first_done, release = threading.Event(), threading.Event()

    def outcome(name, call) -> None:
        try:
            call()
            results[name] = "ok"
        except DomainError as exc:
            results[name] = exc.code

    def run_first() -> None:
        def call() -> None:
            with transaction.atomic():
                first()
                first_done.set()
                release.wait(5)

        try:
            outcome("first", call)
        finally:
            first_done.set()
            connection.close()

    def run_second() -> None:
        first_done.wait(5)
        try:
            outcome("second", second)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_first), threading.Thread(target=run_second)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)  # the second call is now waiting for the team lock
    release.set()
    for thread in threads:
        thread.join(10)
    return results


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
