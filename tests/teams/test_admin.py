"""The ops console: teams with members inline, memberships, invitations (re-send, revoke), notifications."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from insights.events import EventName
from insights.models import Event
from teams.models import Invitation, Membership, Notification, Team
from tests.factories import UserFactory
from tests.teams.factories import NotificationFactory, make_invitation

pytestmark = pytest.mark.django_db
Role = Membership.Role


def test_admin_lists_and_forms_load(staff_client, team, creator, editor):
    invitation, _token = make_invitation(team=team, email="x@example.com", invited_by=creator)
    NotificationFactory(recipient=creator)
    for url in [
        reverse("admin:teams_team_changelist"),
        reverse("admin:teams_team_change", args=[team.pk]),
        reverse("admin:teams_membership_changelist") + "?role=owner",
        reverse("admin:teams_invitation_changelist") + "?status=pending",
        reverse("admin:teams_invitation_changelist") + "?status=expired",
        reverse("admin:teams_invitation_change", args=[invitation.pk]),
        reverse("admin:teams_notification_changelist") + "?read=no",
        reverse("admin:teams_notificationpreference_changelist"),
    ]:
        assert staff_client.get(url).status_code == 200, url
    # A member's address finds the team when it is the whole address (an index lookup, not a LIKE).
    changelist = staff_client.get(reverse("admin:teams_team_changelist") + "?q=Eddie@example.com").content.decode()
    assert "Studio Nine" in changelist
    assert "Studio Nine" not in staff_client.get(reverse("admin:teams_team_changelist") + "?q=eddie").content.decode()


def test_admin_actions_resend_and_revoke_invitations(staff_client, team, creator, django_capture_on_commit_callbacks):
    expired, _t = make_invitation(team=team, email="old@example.com", invited_by=creator)
    Invitation.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    url = reverse("admin:teams_invitation_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(url, {"action": "resend", "_selected_action": [expired.pk]})
    expired.refresh_from_db()
    assert expired.status == Invitation.Status.PENDING
    assert mail.outbox[-1].to == ["old@example.com"]
    staff_client.post(url, {"action": "revoke", "_selected_action": [expired.pk]})
    expired.refresh_from_db()
    assert expired.status == Invitation.Status.REVOKED


def test_the_console_keeps_the_last_owner_rule(staff_client, team, creator):
    membership = Membership.objects.get(team=team, user=creator)
    response = staff_client.post(
        reverse("admin:teams_membership_change", args=[membership.pk]),
        {"team": team.pk, "user": creator.pk, "role": Role.VIEWER},
        follow=True,
    )
    assert "at least one owner" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.OWNER


def team_form(team=None, *, rows=(), **fields) -> dict:
    """The POST of the team admin form: the team's fields and its membership rows.

    `rows` are dicts with `user`, `role` and, for existing members, `id` (and `DELETE`)."""
    data = {"name": team.name if team else "", "language": team.language if team else "en", **fields}
    initial = [row for row in rows if "id" in row]
    prefix = "memberships"
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(len(rows)),
            f"{prefix}-INITIAL_FORMS": str(len(initial)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            "invitations-TOTAL_FORMS": "0",
            "invitations-INITIAL_FORMS": "0",
            "invitations-MIN_NUM_FORMS": "0",
            "invitations-MAX_NUM_FORMS": "1000",
        }
    )
    for n, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{n}-{key}"] = value
        if team is not None:
            data[f"{prefix}-{n}-team"] = team.pk
    return data


def member_row(membership, **changes) -> dict:
    return {"id": membership.pk, "user": membership.user_id, "role": membership.role, **changes}


def test_the_team_inline_refuses_to_drop_every_owner(staff_client, team, creator):
    membership = Membership.objects.get(team=team, user=creator)
    url = reverse("admin:teams_team_change", args=[team.pk])
    data = team_form(team, rows=[member_row(membership, role=Role.EDITOR)], name="Renamed")
    response = staff_client.post(url, data, follow=True)
    assert "A team needs at least one owner." in response.content.decode()
    membership.refresh_from_db()
    team.refresh_from_db()
    # Nothing of the refused save was written: not the role, not the new name.
    assert (membership.role, team.name) == (Role.OWNER, "Studio Nine")
    assert not Event.objects.filter(name=EventName.TEAM_MEMBER_ROLE_CHANGED).exists()


def test_the_team_inline_removes_the_last_owner_only_after_another_is_made(staff_client, team, creator, editor):
    owner = Membership.objects.get(team=team, user=creator)
    editing = Membership.objects.get(team=team, user=editor)
    url = reverse("admin:teams_team_change", args=[team.pk])
    rows = [member_row(owner, DELETE="on"), member_row(editing, role=Role.OWNER)]
    assert staff_client.post(url, team_form(team, rows=rows)).status_code == 302
    assert list(team.memberships.values_list("user__email", "role")) == [(editor.email, Role.OWNER)]
    assert Event.objects.filter(name=EventName.TEAM_MEMBER_REMOVED, payload__user_id=creator.pk).exists()
    assert Notification.objects.filter(recipient=editor, kind="role_changed").exists()


def test_a_team_made_in_the_console_has_its_first_owner(staff_client, staff, outsider):
    url = reverse("admin:teams_team_add")
    assert "owner" in staff_client.get(url).context["adminform"].form.fields
    response = staff_client.post(url, team_form(name="Night Shift"))
    assert response.status_code == 200  # the first owner is required
    assert not Team.objects.filter(name="Night Shift").exists()
    response = staff_client.post(url, team_form(name="Night Shift", owner=outsider.pk))
    assert response.status_code == 302
    team = Team.objects.get(name="Night Shift")
    assert team.slug == "night-shift"
    assert list(team.memberships.values_list("user", "role")) == [(outsider.pk, Role.OWNER)]
    assert Event.objects.filter(name=EventName.TEAM_CREATED, subject_id=str(team.pk)).exists()


def test_members_added_in_the_team_inline_go_through_the_service(staff_client, staff, team, creator):
    newcomer = UserFactory(email="nia@example.com")
    owner = Membership.objects.get(team=team, user=creator)
    url = reverse("admin:teams_team_change", args=[team.pk])
    rows = [member_row(owner), {"user": newcomer.pk, "role": Role.EDITOR}]
    assert staff_client.post(url, team_form(team, rows=rows)).status_code == 302
    assert team.memberships.get(user=newcomer).role == Role.EDITOR
    joined = Event.objects.get(name=EventName.TEAM_MEMBER_JOINED)
    assert (joined.actor, joined.payload["user_id"], joined.payload["added_by"]) == (staff, newcomer.pk, staff.pk)
    assert Notification.objects.filter(recipient=newcomer, kind="role_changed").exists()
    assert Notification.objects.filter(recipient=creator, kind="member_joined").exists()


def test_the_team_inline_keeps_the_seat_limit(staff_client, team, creator, admin_member, editor):
    owner = Membership.objects.get(team=team, user=creator)
    url = reverse("admin:teams_team_change", args=[team.pk])
    newcomer = UserFactory(email="nia@example.com")
    rows = [member_row(owner), {"user": newcomer.pk, "role": Role.VIEWER}]
    response = staff_client.post(url, team_form(team, rows=rows), follow=True)
    assert "seat" in response.content.decode().lower()
    assert not team.memberships.filter(user=newcomer).exists()
    assert not Event.objects.filter(name=EventName.TEAM_MEMBER_JOINED).exists()


def test_the_membership_admin_adds_members_through_the_service(staff_client, staff, team, creator, admin_member):
    url = reverse("admin:teams_membership_add")
    newcomer = UserFactory(email="nia@example.com")
    response = staff_client.post(url, {"team": team.pk, "user": newcomer.pk, "role": Role.VIEWER})
    assert response.status_code == 302
    assert team.memberships.get(user=newcomer).role == Role.VIEWER
    assert Event.objects.filter(name=EventName.TEAM_MEMBER_JOINED, payload__user_id=newcomer.pk).exists()
    assert Notification.objects.filter(recipient=newcomer, kind="role_changed").exists()
    # Three members fill the Free plan's three seats: the next one is refused, nothing written.
    late = UserFactory(email="late@example.com")
    response = staff_client.post(url, {"team": team.pk, "user": late.pk, "role": Role.VIEWER}, follow=True)
    assert "seat" in response.content.decode().lower()
    assert not team.memberships.filter(user=late).exists()
    # A person already in the team is not added twice (the form says so before the service would).
    response = staff_client.post(url, {"team": team.pk, "user": creator.pk, "role": Role.VIEWER})
    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert team.memberships.get(user=creator).role == Role.OWNER


def test_the_membership_admin_keeps_the_last_owner_when_deleting(staff_client, team, creator):
    membership = Membership.objects.get(team=team, user=creator)
    response = staff_client.post(
        reverse("admin:teams_membership_delete", args=[membership.pk]), {"post": "yes"}, follow=True
    )
    assert "at least one owner" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    changelist = reverse("admin:teams_membership_changelist")
    staff_client.post(changelist, {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"})
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_membership_admin_removes_a_member_with_the_event(staff_client, team, editor):
    membership = Membership.objects.get(team=team, user=editor)
    staff_client.post(reverse("admin:teams_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Event.objects.filter(name=EventName.TEAM_MEMBER_REMOVED, payload__user_id=editor.pk).exists()


def test_a_membership_cannot_be_moved_to_another_person_or_team(staff_client, team, editor):
    membership = Membership.objects.get(team=team, user=editor)
    form = staff_client.get(reverse("admin:teams_membership_change", args=[membership.pk])).context["adminform"]
    assert {"user", "team"} <= set(form.readonly_fields)


def test_the_notification_admin_marks_read_through_the_service(staff_client, creator):
    notification = NotificationFactory(recipient=creator)
    url = reverse("admin:teams_notification_changelist")
    staff_client.post(url, {"action": "mark_read", "_selected_action": [notification.pk]})
    notification.refresh_from_db()
    assert notification.read_at is not None
