"""Every list page and list endpoint costs a fixed number of queries, for one row or many."""

import re

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
    # session, person, team and role, a page of members, a page of invitations, the seats (one query),
    # the bell, the workspace switcher
    "team_detail": (lambda team: reverse("team_detail", args=[team.slug]), 8),
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


def test_the_team_page_pages_members_and_invitations_by_cursor_without_counting_them(team, creator_client):
    from django.db import connection

    from teams.views.teams import INVITATIONS_PER_PAGE, MEMBERS_PER_PAGE

    for i in range(MEMBERS_PER_PAGE):
        MembershipFactory(team=team, role=Role.VIEWER, user=UserFactory(email=f"member{i:02}@example.com"))
    for i in range(INVITATIONS_PER_PAGE + 2):
        make_invitation(team=team, email=f"invitee{i:02}@example.com")
    url = reverse("team_detail", args=[team.slug])
    with CaptureQueriesContext(connection) as captured:
        first = creator_client.get(url).content.decode()
    counts = [query["sql"] for query in captured.captured_queries if "COUNT(" in query["sql"].upper()]
    # Only the seat count (members and invitations in one query) and the bell's capped count.
    assert len(counts) == 2, counts
    # Owners first, then by e-mail: the creator and MEMBERS_PER_PAGE - 1 members fill the first page.
    last_on_first, first_on_next = f"member{MEMBERS_PER_PAGE - 2:02}", f"member{MEMBERS_PER_PAGE - 1:02}"
    assert f"{last_on_first}@example.com" in first and f"{first_on_next}@example.com" not in first
    members_next = re.search(r'<a rel="next" href="\?(cursor=[^"]+)"', first).group(1)
    invitations_next = re.search(r'<a rel="next" href="\?(icursor=[^"]+)"', first).group(1)
    assert f"{first_on_next}@example.com" in creator_client.get(f"{url}?{members_next}").content.decode()
    assert "invitee00@example.com" in creator_client.get(f"{url}?{invitations_next}").content.decode()
    # The owner, the members and the invitations all hold seats: the figure is exact.
    assert f"{1 + MEMBERS_PER_PAGE + INVITATIONS_PER_PAGE + 2} seats in use" in first
