"""Creating and deleting teams, roles and the last-owner rule, leaving, and the workspace switcher."""

import pytest
from django.urls import reverse

from config.errors import DomainError, PermissionDenied
from insights.models import Event
from teams import services
from teams.models import Membership, Notification, Team
from teams.workspaces import SESSION_KEY, workspace_team_for_request
from tests.teams.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db
Role = Membership.Role


def test_creating_a_team_makes_the_creator_its_owner_and_switches_to_it(creator_client, creator):
    response = creator_client.post(reverse("team_create"), {"name": "Café Crew", "language": "fr"})
    team = Team.objects.get()
    assert response["Location"] == reverse("team_detail", args=[team.slug])
    assert team.slug == "cafe-crew"
    assert team.language == "fr"
    assert Membership.objects.get(team=team).user == creator
    assert Membership.objects.get(team=team).role == Role.OWNER
    assert creator_client.session[SESSION_KEY] == team.pk
    assert Event.objects.filter(name="team.created", actor=creator).exists()


def test_team_slugs_stay_unique_and_never_shadow_a_page(creator):
    first = services.team_create(creator=creator, name="Crew")
    second = services.team_create(creator=creator, name="Crew")
    assert (first.slug, second.slug) == ("crew", "crew-2")
    assert services.team_create(creator=creator, name="New").slug == "new-team"
    assert services.team_create(creator=creator, name="動画チーム").slug == "team"


def test_a_team_needs_a_name(creator_client):
    response = creator_client.post(reverse("team_create"), {"name": "", "language": "en"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Team.objects.exists()


def test_the_last_owner_cannot_leave_or_be_demoted(team, creator, creator_client):
    membership = Membership.objects.get(team=team, user=creator)
    with pytest.raises(DomainError, match="last owner"):
        services.membership_remove(membership=membership, actor=creator)
    with pytest.raises(DomainError, match="at least one owner"):
        services.membership_change_role(membership=membership, actor=creator, role=Role.ADMIN)
    response = creator_client.post(reverse("team_leave", args=[team.slug]), follow=True)
    assert "You are the last owner" in response.content.decode()
    api = creator_client.post(reverse("api-team-leave", args=[team.slug]))
    assert api.status_code == 400
    assert api.json()["code"] == "last_owner"
    assert Membership.objects.get(team=team, user=creator).role == Role.OWNER


def test_with_a_second_owner_an_owner_may_step_down_or_leave(team, creator, admin_member):
    second = Membership.objects.get(team=team, user=admin_member)
    services.membership_change_role(membership=second, actor=creator, role=Role.OWNER)
    mine = Membership.objects.get(team=team, user=creator)
    services.membership_change_role(membership=mine, actor=creator, role=Role.EDITOR)
    mine.refresh_from_db()
    assert mine.role == Role.EDITOR
    # And now the other owner is the last one.
    second.refresh_from_db()
    with pytest.raises(DomainError):
        services.membership_remove(membership=second, actor=admin_member)


def test_admins_manage_members_below_owner_but_never_owners(team, creator, admin_member, editor, viewer):
    services.membership_change_role(
        membership=Membership.objects.get(user=viewer), actor=admin_member, role=Role.EDITOR
    )
    assert Membership.objects.get(user=viewer).role == Role.EDITOR
    owner = Membership.objects.get(user=creator)
    with pytest.raises(PermissionDenied):
        services.membership_change_role(membership=owner, actor=admin_member, role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        services.membership_change_role(
            membership=Membership.objects.get(user=editor), actor=admin_member, role=Role.OWNER
        )
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=owner, actor=admin_member)
    services.membership_remove(membership=Membership.objects.get(user=editor), actor=admin_member)
    assert not Membership.objects.filter(user=editor).exists()


def test_editors_and_viewers_cannot_manage_members(team, editor, viewer):
    with pytest.raises(PermissionDenied):
        services.membership_change_role(membership=Membership.objects.get(user=viewer), actor=editor, role=Role.EDITOR)
    with pytest.raises(PermissionDenied):
        services.membership_remove(membership=Membership.objects.get(user=editor), actor=viewer)


def test_a_role_change_notifies_the_member(team, creator, viewer, django_capture_on_commit_callbacks):
    services.membership_change_role(membership=Membership.objects.get(user=viewer), actor=creator, role=Role.EDITOR)
    notification = Notification.objects.get(recipient=viewer)
    assert notification.text == "Your role in Studio Nine is now Editor."
    assert notification.target_url == reverse("team_detail", args=[team.slug])


def test_role_changes_and_removal_through_the_page(team, creator_client, viewer, editor):
    creator_client.post(reverse("member_role", args=[team.slug, viewer.pk]), {"role": Role.ADMIN})
    assert Membership.objects.get(user=viewer).role == Role.ADMIN
    response = creator_client.post(
        reverse("member_role", args=[team.slug, viewer.pk]), {"role": "emperor"}, follow=True
    )
    assert "Choose a valid role." in response.content.decode()
    creator_client.post(reverse("member_remove", args=[team.slug, editor.pk]))
    assert not Membership.objects.filter(user=editor).exists()


def test_role_changes_through_the_api(team, creator, admin_member, viewer, client_for):
    url = reverse("api-member-detail", args=[team.slug, viewer.pk])
    response = client_for(admin_member).patch(url, {"role": "editor"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["role"] == "editor"
    owner_url = reverse("api-member-detail", args=[team.slug, creator.pk])
    refused = client_for(admin_member).patch(owner_url, {"role": "viewer"}, content_type="application/json")
    assert refused.status_code == 403
    assert client_for(admin_member).delete(url).status_code == 204
    # A member may remove themselves: that is leaving.
    assert (
        client_for(admin_member).delete(reverse("api-member-detail", args=[team.slug, admin_member.pk])).status_code
        == 204
    )


def test_a_member_leaves_and_loses_access(team, viewer, client_for):
    client = client_for(viewer)
    response = client.post(reverse("team_leave", args=[team.slug]))
    assert response["Location"] == reverse("team_list")
    assert client.get(reverse("team_detail", args=[team.slug])).status_code == 404


def test_only_owners_delete_a_team(team, creator_client, admin_member, client_for):
    assert client_for(admin_member).post(reverse("team_delete", args=[team.slug])).status_code == 403
    assert creator_client.get(reverse("team_delete", args=[team.slug])).status_code == 200
    response = creator_client.post(reverse("team_delete", args=[team.slug]))
    assert response["Location"] == reverse("team_list")
    assert not Team.objects.filter(pk=team.pk).exists()
    assert Event.objects.filter(name="team.deleted").exists()


def test_team_settings_are_for_managers(team, creator_client, editor, client_for):
    creator_client.post(reverse("team_settings", args=[team.slug]), {"name": "Studio Ten", "language": "de"})
    team.refresh_from_db()
    assert (team.name, team.language) == ("Studio Ten", "de")
    assert (
        client_for(editor).post(reverse("team_settings", args=[team.slug]), {"name": "X", "language": "en"}).status_code
        == 403
    )


def test_the_api_lists_my_teams_with_my_role_and_creates_teams(team, viewer, client_for):
    other = TeamFactory(name="Elsewhere")
    MembershipFactory(team=other)
    client = client_for(viewer)
    listed = client.get(reverse("api-team-list")).json()["results"]
    assert [(row["slug"], row["role"]) for row in listed] == [("studio-nine", "viewer")]
    created = client.post(reverse("api-team-list"), {"name": "Mine"}, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["role"] == "owner"
    assert created.json()["slug"] == "mine"


def test_the_workspace_switcher_offers_personal_space_and_my_teams(team, viewer, client_for):
    other = TeamFactory(name="Not mine")
    client = client_for(viewer)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Personal space" in page
    assert "Studio Nine" in page
    assert "Not mine" not in page
    response = client.post(reverse("workspace_switch"), {"team": team.pk, "next": reverse("team_list")})
    assert response["Location"] == reverse("team_list")
    assert client.session[SESSION_KEY] == team.pk
    # Switching to a team one is not in is a 404, and changes nothing.
    assert client.post(reverse("workspace_switch"), {"team": other.pk}).status_code == 404
    assert client.session[SESSION_KEY] == team.pk
    # An outside redirect target is ignored.
    response = client.post(reverse("workspace_switch"), {"team": "", "next": "https://evil.example/"})
    assert response["Location"] == reverse("dashboard")
    assert SESSION_KEY not in client.session


def test_a_removed_member_falls_back_to_the_personal_space(team, viewer, client_for, rf):
    client = client_for(viewer)
    client.post(reverse("workspace_switch"), {"team": team.pk})
    Membership.objects.filter(user=viewer).delete()
    request = rf.get("/")
    request.user = viewer
    request.session = client.session
    assert workspace_team_for_request(request) is None


def test_the_team_list_has_an_empty_state(creator_client):
    page = creator_client.get(reverse("team_list")).content.decode()
    assert "You are not in a team yet." in page


def test_adding_a_member_directly_follows_the_same_rules_as_inviting(team, creator, admin_member, editor, outsider):
    from config.errors import LimitReached
    from tests.factories import UserFactory

    newcomer = UserFactory()
    # Role ranks: an admin cannot make someone an owner; an editor cannot add anyone.
    with pytest.raises(PermissionDenied):
        services.membership_add(team=team, actor=admin_member, user=newcomer, role=Role.OWNER)
    with pytest.raises(PermissionDenied):
        services.membership_add(team=team, actor=editor, user=newcomer, role=Role.VIEWER)
    # Three members already fill the Free plan's three seats.
    with pytest.raises(LimitReached):
        services.membership_add(team=team, actor=creator, user=newcomer, role=Role.VIEWER)
    Membership.objects.filter(team=team, user=editor).delete()
    membership = services.membership_add(team=team, actor=admin_member, user=newcomer, role=Role.EDITOR)
    assert membership.role == Role.EDITOR
    with pytest.raises(DomainError):
        services.membership_add(team=team, actor=creator, user=newcomer, role=Role.VIEWER)
    assert not Membership.objects.filter(team=team, user=outsider).exists()
