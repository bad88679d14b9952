"""Every list page and list endpoint costs a fixed number of queries, for one row or many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teams.models import Membership
from tests.factories import UserFactory
from tests.teams.factories import MembershipFactory, NotificationFactory, TeamFactory, make_invitation

pytestmark = pytest.mark.django_db
Role = Membership.Role


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def grow_team(team, n: int) -> None:
    for i in range(n):
        MembershipFactory(team=team, role=[Role.ADMIN, Role.EDITOR, Role.VIEWER][i % 3])
        make_invitation(team=team, email=f"pending{i}-{team.pk}@example.com")


def grow_teams(user, n: int) -> None:
    for _ in range(n):
        other = TeamFactory()
        MembershipFactory(team=other, user=user, role=Role.EDITOR)
        MembershipFactory(team=other)


BUDGETS = {
    # name: (url builder, max queries)
    "team_list": (lambda team: reverse("team_list"), 7),
    "team_detail": (lambda team: reverse("team_detail", args=[team.slug]), 11),
    "notification_list": (lambda team: reverse("notification_list"), 6),
    "api_teams": (lambda team: reverse("api-team-list"), 6),
    "api_members": (lambda team: reverse("api-member-list", args=[team.slug]), 7),
    "api_invitations": (lambda team: reverse("api-invitation-list", args=[team.slug]), 7),
    "api_notifications": (lambda team: reverse("api-notification-list"), 6),
}


@pytest.mark.parametrize("name", list(BUDGETS))
def test_list_query_budget_is_the_same_for_one_row_and_many(
    name, team, creator, creator_client, django_assert_max_num_queries
):
    url_for, budget = BUDGETS[name]
    url = url_for(team)
    make_invitation(team=team, email="first@example.com")
    NotificationFactory(recipient=creator)
    with django_assert_max_num_queries(budget):
        one = count_queries(creator_client, url)

    grow_team(team, 12)
    grow_teams(creator, 12)
    for _ in range(12):
        NotificationFactory(recipient=creator)
    UserFactory.create_batch(3)
    with django_assert_max_num_queries(budget):
        many = count_queries(creator_client, url)
    assert many == one
