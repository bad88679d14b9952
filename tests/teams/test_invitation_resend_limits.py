"""Re-sending invitations is limited per invitation and per team, so a team (whose name its
creator chooses) cannot be used to mail strangers over and over."""

import pytest
from django.core import mail
from django.urls import reverse

from config.errors import RateLimited
from teams import services
from teams.models import Invitation
from teams.services.invitations import RESENDS_PER_INVITATION, RESENDS_PER_TEAM
from tests.teams.factories import make_invitation

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
        for n in range(RESENDS_PER_TEAM + 1)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for invitation in invitations[:-1]:
            services.invitation_resend(invitation=invitation, actor=creator)
    with pytest.raises(RateLimited, match="Your team"):
        services.invitation_resend(invitation=invitations[-1], actor=creator)
    assert len(mail.outbox) == RESENDS_PER_TEAM
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
