"""The ops console: teams with members inline, memberships, invitations (re-send, revoke), notifications."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from teams.models import Invitation, Membership
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
    changelist = staff_client.get(reverse("admin:teams_team_changelist") + "?q=eddie").content.decode()
    assert "Studio Nine" in changelist


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


def test_the_team_inline_refuses_to_drop_every_owner(staff_client, team, creator):
    membership = Membership.objects.get(team=team, user=creator)
    prefix = "memberships"
    data = {
        "name": team.name,
        "slug": team.slug,
        "language": team.language,
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        f"{prefix}-0-id": membership.pk,
        f"{prefix}-0-team": team.pk,
        f"{prefix}-0-user": creator.pk,
        f"{prefix}-0-role": Role.EDITOR,
        "invitations-TOTAL_FORMS": "0",
        "invitations-INITIAL_FORMS": "0",
        "invitations-MIN_NUM_FORMS": "0",
        "invitations-MAX_NUM_FORMS": "1000",
    }
    response = staff_client.post(reverse("admin:teams_team_change", args=[team.pk]), data)
    assert response.status_code == 200
    assert "A team needs at least one owner." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.OWNER
