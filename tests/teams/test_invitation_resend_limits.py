"""Invitation mails (creates and re-sends) are limited per invitation, per team and per address, so a
team (whose name its creator chooses) cannot be used to mail strangers over and over."""

import pytest
from django.core import mail
from django.urls import reverse

from config.errors import RateLimited
from teams import services
from teams.models import Invitation, Membership
from teams.services.invitations import INVITATION_MAILS_PER_ADDRESS, INVITATION_MAILS_PER_TEAM, RESENDS_PER_INVITATION
from tests.teams.factories import MembershipFactory, TeamFactory, make_invitation

pytestmark = pytest.mark.django_db


def test_one_invitation_can_be_resent_only_a_few_times_a_day(team, creator, django_capture_on_commit_callbacks):
    invitation, _token = make_invitation(team=team, email="pestered@example.com", invited_by=creator)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(RESENDS_PER_INVITATION):
            services.invitation_resend(invitation=invitation, actor=creator)
    with pytest.raises(RateLimited, match="This invitation"):
        services.invitation_resend(invitation=invitation, actor=creator)
    assert len(mail.outbox) == RESENDS_PER_INVITATION
    assert Invitation.objects.get(pk=invitation.pk).send_count == 1 + RESENDS_PER_INVITATION


def test_a_team_can_resend_only_so_many_invitations_a_day(team, creator, django_capture_on_commit_callbacks):
    invitations = [
        make_invitation(team=team, email=f"person{n}@example.com", invited_by=creator)[0]
        for n in range(INVITATION_MAILS_PER_TEAM + 1)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for invitation in invitations[:-1]:
            services.invitation_resend(invitation=invitation, actor=creator)
    with pytest.raises(RateLimited, match="Your team"):
        services.invitation_resend(invitation=invitations[-1], actor=creator)
    assert len(mail.outbox) == INVITATION_MAILS_PER_TEAM
    assert Invitation.objects.get(pk=invitations[-1].pk).send_count == 1


def test_the_page_and_the_api_say_why_a_resend_was_refused(team, creator, creator_client):
    invitation, _token = make_invitation(team=team, email="pestered@example.com", invited_by=creator)
    for _ in range(RESENDS_PER_INVITATION):
        services.invitation_resend(invitation=invitation, actor=creator)
    mail.outbox.clear()

    page = creator_client.post(reverse("invitation_resend", args=[team.slug, invitation.pk]), follow=True)
    assert "sent again too many times" in page.content.decode()

    api = creator_client.post(reverse("api-invitation-resend", args=[team.slug, invitation.pk]))
    assert api.status_code == 429
    assert "sent again too many times" in api.json()["detail"]
    assert mail.outbox == []


def _create_and_revoke(*, team, actor, email):
    invitation = services.invitation_create(team=team, actor=actor, email=email, role="editor")
    services.invitation_revoke(invitation=invitation, actor=actor)


def test_create_and_revoke_counts_toward_the_teams_daily_mails(team, creator, django_capture_on_commit_callbacks):
    """Revoking frees the seat, so without a count on creates a team could mail strangers forever."""
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(INVITATION_MAILS_PER_TEAM):
            _create_and_revoke(team=team, actor=creator, email=f"stranger{n}@example.com")
        with pytest.raises(RateLimited, match="Your team"):
            services.invitation_create(team=team, actor=creator, email="one-more@example.com", role="editor")
    assert len(mail.outbox) == INVITATION_MAILS_PER_TEAM
    assert not Invitation.objects.filter(email="one-more@example.com").exists()


def test_creates_and_resends_share_the_teams_daily_mails(team, creator, django_capture_on_commit_callbacks):
    invitation, _token = make_invitation(team=team, email="pending@example.com", invited_by=creator)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(invitation=invitation, actor=creator)
        for n in range(INVITATION_MAILS_PER_TEAM - 1):
            _create_and_revoke(team=team, actor=creator, email=f"stranger{n}@example.com")
        with pytest.raises(RateLimited, match="Your team"):
            services.invitation_resend(invitation=invitation, actor=creator)
    assert len(mail.outbox) == INVITATION_MAILS_PER_TEAM


def test_one_address_gets_only_a_few_invitation_mails_a_day_across_teams(
    team, creator, outsider, django_capture_on_commit_callbacks
):
    other_team = TeamFactory(name="Other Studio", slug="other-studio", created_by=outsider)
    MembershipFactory(team=other_team, user=outsider, role=Membership.Role.OWNER)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(INVITATION_MAILS_PER_ADDRESS - 1):
            _create_and_revoke(team=team, actor=creator, email="victim@example.com")
        _create_and_revoke(team=other_team, actor=outsider, email="Victim@Example.com")
        with pytest.raises(RateLimited, match=r"victim@example\.com"):
            services.invitation_create(team=other_team, actor=outsider, email="victim@example.com", role="editor")
    assert len(mail.outbox) == INVITATION_MAILS_PER_ADDRESS
    assert not Invitation.objects.filter(team=other_team, revoked_at=None).exists()


def test_the_page_and_the_api_say_why_a_create_was_refused(team, creator, creator_client, creator_api):
    for _ in range(INVITATION_MAILS_PER_ADDRESS):
        _create_and_revoke(team=team, actor=creator, email="victim@example.com")
    mail.outbox.clear()

    page = creator_client.post(
        reverse("invitation_create", args=[team.slug]), {"email": "victim@example.com", "role": "editor"}
    )
    assert page.status_code == 400
    assert "cannot receive more invitations today" in page.content.decode()

    api = creator_api.post(
        reverse("api-invitation-list", args=[team.slug]), {"email": "victim@example.com", "role": "editor"}
    )
    assert api.status_code == 429
    assert "cannot receive more invitations today" in api.json()["detail"]
    assert mail.outbox == []
    assert not Invitation.objects.filter(revoked_at=None).exists()
