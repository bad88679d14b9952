"""The role matrix: every role by every action, through the permission module and through HTTP."""

import pytest
from django.urls import reverse

from config.errors import NotFound, PermissionDenied
from teams.models import Comment, Membership, Team
from teams.permissions import (
    Action,
    acting_role,
    can_act_on_owned,
    can_act_on_team,
    comment_get_for_user,
    invitation_get_for_invitee,
    invitation_get_for_user,
    membership_get_for_user,
    notification_get_for_user,
    require_team_role,
    role_allows,
    role_can_manage,
    team_get_for_user,
    team_role_for,
)
from tests.factories import UserFactory
from tests.teams.factories import MembershipFactory, NotificationFactory, TeamFactory, make_invitation
from tests.videos.factories import VideoFactory

pytestmark = pytest.mark.django_db

Role = Membership.Role
A = Action
Y, N = True, False

# Columns: view comment create edit delete export schedule brand moderate manage_members billing delete_team
ACTIONS = [
    A.VIEW,
    A.COMMENT,
    A.CREATE,
    A.EDIT,
    A.DELETE,
    A.EXPORT,
    A.SCHEDULE,
    A.BRAND,
    A.MODERATE,
    A.MANAGE_MEMBERS,
    A.BILLING,
    A.DELETE_TEAM,
]
MATRIX = {
    Role.OWNER: [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y],
    Role.ADMIN: [Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, N, N],
    Role.EDITOR: [Y, Y, Y, Y, Y, Y, Y, Y, N, N, N, N],
    Role.VIEWER: [Y, Y, N, N, N, N, N, N, N, N, N, N],
    None: [N, N, N, N, N, N, N, N, N, N, N, N],  # outsider
}
CASES = [(role, action, allowed) for role, row in MATRIX.items() for action, allowed in zip(ACTIONS, row, strict=True)]


def test_the_matrix_covers_every_action():
    assert set(ACTIONS) == set(Action.values)


@pytest.mark.parametrize(("role", "action", "allowed"), CASES)
def test_role_matrix_through_the_permission_module(role, action, allowed):
    team = TeamFactory()
    person = UserFactory()
    if role is not None:
        MembershipFactory(team=team, user=person, role=role)
    assert role_allows(role, action) is allowed
    assert team_role_for(user=person, team=team) == role
    assert can_act_on_team(user=person, team=team, action=action) is allowed
    # A teammate's video in the team follows the same matrix.
    teammate = UserFactory()
    assert can_act_on_owned(user=person, owner_id=teammate.pk, team_id=team.pk, action=action) is allowed
    if allowed:
        assert team_get_for_user(user=person, team_id=team.pk, action=action) == team
    else:
        with pytest.raises(NotFound if role is None else PermissionDenied):
            team_get_for_user(user=person, team_id=team.pk, action=action)


@pytest.mark.parametrize("action", ACTIONS)
def test_a_personal_object_belongs_to_its_owner_alone(action, creator, outsider):
    assert can_act_on_owned(user=creator, owner_id=creator.pk, team_id=None, action=action)
    assert not can_act_on_owned(user=outsider, owner_id=creator.pk, team_id=None, action=action)


def test_signed_out_visitors_may_do_nothing(creator):
    from django.contrib.auth.models import AnonymousUser

    team = TeamFactory()
    assert team_role_for(user=AnonymousUser(), team=team) is None
    assert not can_act_on_owned(user=AnonymousUser(), owner_id=creator.pk, team_id=None, action=Action.VIEW)
    with pytest.raises(NotFound):
        team_get_for_user(user=AnonymousUser(), slug=team.slug)


def test_the_team_lookup_sets_the_role_of_the_asking_member_only(creator, outsider):
    team = TeamFactory()
    MembershipFactory(team=team, user=creator, role=Role.EDITOR)
    MembershipFactory(team=team, user=outsider, role=Role.OWNER)
    assert team_get_for_user(user=creator, slug=team.slug).role == Role.EDITOR


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        (Role.OWNER, Role.OWNER, Y),
        (Role.OWNER, Role.VIEWER, Y),
        (Role.ADMIN, Role.OWNER, N),
        (Role.ADMIN, Role.ADMIN, Y),
        (Role.ADMIN, Role.VIEWER, Y),
        (Role.EDITOR, Role.VIEWER, N),
        (Role.VIEWER, Role.VIEWER, N),
        (None, Role.VIEWER, N),
    ],
)
def test_who_may_manage_whom(actor, target, allowed):
    assert role_can_manage(actor_role=actor, target_role=target) is allowed


# --- Through real HTTP endpoints: pages and API -------------------------------------------------

PEOPLE = ["owner", "admin", "editor", "viewer", "outsider"]


@pytest.fixture
def people(team, creator, admin_member, editor, viewer, outsider):
    return {"owner": creator, "admin": admin_member, "editor": editor, "viewer": viewer, "outsider": outsider}


# person -> expected status for: view page, invite (page), API detail, API patch (manage), API delete team
HTTP_MATRIX = {
    "owner": {"view": 200, "invite": 302, "api_view": 200, "api_manage": 200, "api_delete": 204},
    "admin": {"view": 200, "invite": 302, "api_view": 200, "api_manage": 200, "api_delete": 403},
    "editor": {"view": 200, "invite": 403, "api_view": 200, "api_manage": 403, "api_delete": 403},
    "viewer": {"view": 200, "invite": 403, "api_view": 200, "api_manage": 403, "api_delete": 403},
    "outsider": {"view": 404, "invite": 404, "api_view": 404, "api_manage": 404, "api_delete": 404},
}


@pytest.mark.parametrize("person", PEOPLE)
def test_role_matrix_through_pages_and_api(person, people, team, client_for, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    expected = HTTP_MATRIX[person]
    client = client_for(people[person])
    assert client.get(reverse("team_detail", args=[team.slug])).status_code == expected["view"]
    # Seats are full with four members; a freed seat lets managers through to the form.
    Membership.objects.filter(team=team, role__in=[Role.EDITOR, Role.VIEWER]).exclude(user=people[person]).delete()
    response = client.post(
        reverse("invitation_create", args=[team.slug]), {"email": "new@example.com", "role": Role.VIEWER}
    )
    assert response.status_code == expected["invite"]
    detail = reverse("api-team-detail", args=[team.slug])
    assert client.get(detail).status_code == expected["api_view"]
    assert (
        client.patch(detail, {"name": "Renamed"}, content_type="application/json").status_code
        == (expected["api_manage"])
    )
    assert client.get(reverse("api-member-list", args=[team.slug])).status_code == expected["api_view"]
    assert client.delete(detail).status_code == expected["api_delete"]
    assert Team.objects.filter(pk=team.pk).exists() is (person != "owner")


def test_a_non_member_gets_404_on_every_team_page_and_endpoint(team, outsider, client_for):
    client = client_for(outsider)
    member = team.memberships.get()
    urls = [
        ("get", reverse("team_detail", args=[team.slug])),
        ("get", reverse("team_delete", args=[team.slug])),
        ("post", reverse("team_settings", args=[team.slug])),
        ("post", reverse("team_leave", args=[team.slug])),
        ("post", reverse("member_role", args=[team.slug, member.user_id])),
        ("post", reverse("member_remove", args=[team.slug, member.user_id])),
        ("get", reverse("api-invitation-list", args=[team.slug])),
        ("post", reverse("api-team-leave", args=[team.slug])),
        ("delete", reverse("api-member-detail", args=[team.slug, member.user_id])),
    ]
    for method, url in urls:
        assert getattr(client, method)(url).status_code == 404, url
    # The same for a team that does not exist: nothing tells them apart.
    assert client.get(reverse("team_detail", args=["no-such-team"])).status_code == 404


# --- One access helper per object kind: every person x every action -----------------------------

STAFF_AND_PEOPLE = [*PEOPLE, "staff"]


@pytest.fixture
def everyone(people, staff):
    return {**people, "staff": staff}


def outcome(lookup) -> str:
    """What an access helper answers: "ok", "403" (PermissionDenied) or "404" (NotFound)."""
    try:
        lookup()
    except NotFound:
        return "404"
    except PermissionDenied:
        return "403"
    return "ok"


# person -> (VIEW, MANAGE_MEMBERS) on another member of the team (the viewer)
MEMBERSHIP_TABLE = {
    "owner": ("ok", "ok"),
    "admin": ("ok", "ok"),
    "editor": ("ok", "403"),
    "viewer": ("ok", "403"),
    "outsider": ("404", "404"),
    "staff": ("404", "404"),  # staff use the ops console; the pages and API 404 them like anyone
}


@pytest.mark.parametrize("person", STAFF_AND_PEOPLE)
def test_membership_access_table(person, everyone, team):
    user, member = everyone[person], everyone["viewer"]
    got = tuple(
        outcome(lambda a=a: membership_get_for_user(user=user, slug=team.slug, user_id=member.pk, action=a))
        for a in (A.VIEW, A.MANAGE_MEMBERS)
    )
    assert got == MEMBERSHIP_TABLE[person]


def test_a_membership_of_someone_outside_the_team_is_not_found(team, creator, outsider):
    with pytest.raises(NotFound):
        membership_get_for_user(user=creator, slug=team.slug, user_id=outsider.pk)
    found = membership_get_for_user(user=creator, slug=team.slug, user_id=creator.pk)
    assert found.team.role == Role.OWNER


# person -> managing one of the team's invitations (re-send, revoke)
INVITATION_TABLE = {"owner": "ok", "admin": "ok", "editor": "403", "viewer": "403", "outsider": "404", "staff": "404"}


@pytest.mark.parametrize("person", STAFF_AND_PEOPLE)
def test_invitation_access_table(person, everyone, team):
    invitation, _token = make_invitation(team=team, email="new@example.com")
    user = everyone[person]
    got = outcome(lambda: invitation_get_for_user(user=user, slug=team.slug, invitation_id=invitation.pk))
    assert got == INVITATION_TABLE[person]


def test_another_teams_invitation_is_not_found_through_this_team(team, creator):
    other = TeamFactory()
    MembershipFactory(team=other, user=creator, role=Role.OWNER)
    theirs, _token = make_invitation(team=other, email="new@example.com")
    with pytest.raises(NotFound):
        invitation_get_for_user(user=creator, slug=team.slug, invitation_id=theirs.pk)


def test_only_the_invited_person_finds_an_invitation_to_accept(team, outsider, staff):
    invitation, _token = make_invitation(team=team, email=outsider.email.upper())
    assert invitation_get_for_invitee(user=outsider, invitation_id=invitation.pk) == invitation
    for someone in (staff, UserFactory()):
        with pytest.raises(NotFound):
            invitation_get_for_invitee(user=someone, invitation_id=invitation.pk)


@pytest.mark.parametrize("person", STAFF_AND_PEOPLE)
def test_a_notification_belongs_to_its_recipient_alone(person, everyone):
    notification = NotificationFactory(recipient=everyone["viewer"])
    user = everyone[person]
    got = outcome(lambda: notification_get_for_user(user=user, notification_id=notification.pk))
    assert got == ("ok" if person == "viewer" else "404")


# person -> (VIEW, COMMENT, EDIT, DELETE) on a comment the editor wrote on the owner's team video.
# EDIT is the author's alone; DELETE the author's or a moderator's (Action.MODERATE: owners, admins).
COMMENT_TABLE = {
    "owner": ("ok", "ok", "403", "ok"),
    "admin": ("ok", "ok", "403", "ok"),
    "editor": ("ok", "ok", "ok", "ok"),
    "viewer": ("ok", "ok", "403", "403"),
    "outsider": ("404", "404", "404", "404"),
    "staff": ("404", "404", "404", "404"),
}
COMMENT_ACTIONS = (A.VIEW, A.COMMENT, A.EDIT, A.DELETE)


@pytest.mark.parametrize("person", STAFF_AND_PEOPLE)
def test_comment_access_table(person, everyone, team):
    video = VideoFactory(owner=everyone["owner"], team=team)
    comment = Comment.objects.create(video=video, author=everyone["editor"], body="Logo is late")
    user = everyone[person]
    got = tuple(
        outcome(lambda a=a: comment_get_for_user(user=user, comment_id=comment.pk, action=a)) for a in COMMENT_ACTIONS
    )
    assert got == COMMENT_TABLE[person]


def test_a_comment_on_a_personal_video_is_its_owners_alone(creator, outsider, staff):
    video = VideoFactory(owner=creator)
    comment = Comment.objects.create(video=video, author=creator, body="Note to self")
    for action in COMMENT_ACTIONS:
        assert comment_get_for_user(user=creator, comment_id=comment.pk, action=action) == comment
        for someone in (outsider, staff):
            with pytest.raises(NotFound):
                comment_get_for_user(user=someone, comment_id=comment.pk, action=action)


# person -> the role they act with in team services (the ops console reaches them as staff)
ACTING_ROLE_TABLE = {
    "owner": Role.OWNER,
    "admin": Role.ADMIN,
    "editor": Role.EDITOR,
    "viewer": Role.VIEWER,
    "outsider": None,
    "staff": Role.OWNER,  # staff outside the team act as its owners
}


@pytest.mark.parametrize("person", STAFF_AND_PEOPLE)
def test_staff_act_as_owners_in_team_services_and_nobody_else_is_promoted(person, everyone, team):
    user = everyone[person]
    assert acting_role(actor=user, team=team) == ACTING_ROLE_TABLE[person]
    for action in ACTIONS:
        allowed = role_allows(ACTING_ROLE_TABLE[person], action)
        assert outcome(lambda a=action: require_team_role(actor=user, team=team, action=a)) == (
            "ok" if allowed else "403"
        )


def test_a_staff_member_of_a_team_keeps_their_own_role(team, staff):
    MembershipFactory(team=team, user=staff, role=Role.VIEWER)
    assert acting_role(actor=staff, team=team) == Role.VIEWER
