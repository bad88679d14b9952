"""Inviting people: e-mail, acceptance (signed in, through signup, through login), refusals, seats."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from config.errors import DomainError, LimitReached, PermissionDenied
from teams import services
from teams.adapters import INVITATION_SESSION_KEY
from teams.models import Invitation, Membership, Notification, OutboundEmail, User
from teams.services.invitations import token_hash
from teams.workspaces import SESSION_KEY
from tests.factories import UserFactory
from tests.teams.conftest import link_in, path_of
from tests.teams.factories import MembershipFactory, make_invitation

pytestmark = pytest.mark.django_db
Role = Membership.Role


@pytest.fixture
def invite(team, creator, django_capture_on_commit_callbacks):
    """Invite through the service as the owner; returns (invitation, accept path from the e-mail)."""

    def make(email: str, role: str = Role.EDITOR):
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_create(team=team, actor=creator, email=email, role=role)
        assert len(mail.outbox) == 1
        return invitation, path_of(link_in(mail.outbox[0].body))

    return make


def test_inviting_sends_a_single_use_link_and_stores_only_its_hash(team, invite):
    invitation, accept_path = invite("New.Person@Example.com")
    token = accept_path.rstrip("/").rsplit("/", 1)[1]
    assert invitation.email == "new.person@example.com"
    assert invitation.token_hash == token_hash(token)
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert invitation.expires_at - invitation.created_at == timedelta(days=7)
    message = mail.outbox[0]
    assert message.to == ["new.person@example.com"]
    assert "Studio Nine" in message.subject
    assert "Cora Creator" in message.body
    assert OutboundEmail.objects.get(kind="teams/email/invitation").status == OutboundEmail.Status.SENT


def test_the_invitation_email_is_written_in_the_team_language(team, invite):
    team.language = "fr"
    team.save(update_fields=["language"])
    invitation, _path = invite("ami@example.com")
    with translation.override("fr"):
        month = date_format(invitation.expires_at, "F")
    with translation.override("en"):
        english_month = date_format(invitation.expires_at, "F")
    assert month != english_month
    assert month in mail.outbox[0].body


def test_a_signed_in_invitee_accepts_and_lands_in_the_team(
    team, invite, client_for, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email="joiner@example.com")
    _invitation, accept_path = invite("joiner@example.com", Role.EDITOR)
    client = client_for(invitee)
    page = client.get(accept_path)
    assert page.status_code == 200
    assert "Join Studio Nine" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(accept_path)
    assert response.status_code == 302
    assert response["Location"] == reverse("team_detail", args=[team.slug])
    assert Membership.objects.get(team=team, user=invitee).role == Role.EDITOR
    assert client.session[SESSION_KEY] == team.pk
    # The owner hears about it.
    assert Notification.objects.filter(recipient=team.created_by, kind="member_joined").count() == 1


def test_a_used_link_is_refused_the_second_time(team, invite, client_for):
    invitee = UserFactory(email="joiner@example.com")
    _invitation, accept_path = invite("joiner@example.com")
    client = client_for(invitee)
    client.post(accept_path)
    Membership.objects.filter(user=invitee).delete()
    response = client.post(accept_path)
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert not Membership.objects.filter(user=invitee).exists()


def test_an_expired_link_is_refused(team, invite, client_for):
    invitee = UserFactory(email="late@example.com")
    invitation, accept_path = invite("late@example.com")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client_for(invitee).post(accept_path)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not Membership.objects.filter(user=invitee).exists()


def test_a_revoked_link_is_refused(team, creator, invite, client_for):
    invitee = UserFactory(email="joiner@example.com")
    invitation, accept_path = invite("joiner@example.com")
    services.invitation_revoke(invitation=invitation, actor=creator)
    response = client_for(invitee).post(accept_path)
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


def test_an_unknown_token_is_a_clear_404(client):
    response = client.get(reverse("invitation_accept", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_the_wrong_signed_in_person_is_refused_clearly(team, invite, outsider, client_for):
    _invitation, accept_path = invite("joiner@example.com")
    client = client_for(outsider)
    page = client.get(accept_path)
    assert page.status_code == 403
    assert "joiner@example.com" in page.content.decode()
    assert "outsider@example.com" in page.content.decode()
    response = client.post(accept_path)
    assert response.status_code == 403
    assert not Membership.objects.filter(team=team, user=outsider).exists()
    # The link still works for the right person afterwards.
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_resending_makes_a_new_link_and_the_old_one_stops_working(
    team, creator, invite, client_for, django_capture_on_commit_callbacks
):
    invitation, old_path = invite("joiner@example.com")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        resent = services.invitation_resend(invitation=invitation, actor=creator)
    assert resent.send_count == 2
    assert resent.status == Invitation.Status.PENDING
    assert resent.expires_at > timezone.now() + timedelta(days=6)
    new_path = path_of(link_in(mail.outbox[-1].body))
    assert new_path != old_path
    client = client_for(UserFactory(email="joiner@example.com"))
    assert client.get(old_path).status_code == 404
    assert client.post(new_path).status_code == 302


def test_inviting_an_existing_member_is_refused(team, creator, editor):
    with pytest.raises(DomainError, match="already a member"):
        services.invitation_create(team=team, actor=creator, email="EDDIE@example.com", role=Role.VIEWER)


def test_inviting_an_address_twice_points_to_resending_but_an_expired_one_can_be_replaced(team, creator, invite):
    first, _path = invite("twice@example.com")
    with pytest.raises(DomainError, match="re-send"):
        services.invitation_create(team=team, actor=creator, email="twice@example.com", role=Role.VIEWER)
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    second, _path = invite("twice@example.com")
    first.refresh_from_db()
    assert first.status == Invitation.Status.REVOKED
    assert second.status == Invitation.Status.PENDING


def test_seats_count_members_and_pending_invitations(team, creator, invite):
    # Free plan: 3 seats. The owner holds one; two pending invitations hold the others.
    invite("one@example.com")
    second, _path = invite("two@example.com")
    assert services.seats_used(team=team) == 3
    with pytest.raises(LimitReached, match="Team seats"):
        services.invitation_create(team=team, actor=creator, email="three@example.com", role=Role.VIEWER)
    # A revoked invitation gives its seat back.
    services.invitation_revoke(invitation=second, actor=creator)
    invite("three@example.com")


def test_the_seat_limit_shows_as_a_form_error_on_the_page(team, creator_client, invite):
    invite("one@example.com")
    invite("two@example.com")
    response = creator_client.post(
        reverse("invitation_create", args=[team.slug]), {"email": "three@example.com", "role": Role.VIEWER}
    )
    assert response.status_code == 400
    assert "limit of 3 for Team seats" in response.content.decode()
    assert not Invitation.objects.filter(email="three@example.com").exists()


def test_an_admin_cannot_invite_an_owner(team, admin_member):
    with pytest.raises(PermissionDenied):
        services.invitation_create(team=team, actor=admin_member, email="boss@example.com", role=Role.OWNER)


def test_signed_out_acceptance_through_signup_needs_no_separate_verification(
    team, invite, client, django_capture_on_commit_callbacks
):
    _invitation, accept_path = invite("fresh@example.com", Role.VIEWER)
    page = client.get(accept_path)
    assert page.status_code == 200
    # Signup leads back to the invitation kept in the session, not to the link (it would carry the token).
    pending_path = reverse("invitation_pending")
    signup_url = f"{reverse('account_signup')}?next={pending_path}"
    assert signup_url in page.content.decode()
    # The signup form is prefilled with the invited address.
    assert 'value="fresh@example.com"' in client.get(signup_url).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            signup_url,
            {
                "email": "fresh@example.com",
                "password1": "a-long-Passw0rd!",
                "password2": "a-long-Passw0rd!",
                "next": pending_path,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == pending_path
    user = User.objects.get(email="fresh@example.com")
    assert EmailAddress.objects.get(user=user).verified
    assert mail.outbox == []  # no verification e-mail needed
    assert "Studio Nine" in client.get(pending_path).content.decode()
    response = client.post(pending_path)
    assert response["Location"] == reverse("team_detail", args=[team.slug])
    assert Membership.objects.get(team=team, user=user).role == Role.VIEWER
    assert client.get(response["Location"]).status_code == 200


def _sessions_text() -> str:
    return " ".join(str(session.get_decoded()) for session in Session.objects.all())


def test_the_session_keeps_no_live_invitation_link_through_signup(
    team, invite, client, django_capture_on_commit_callbacks
):
    """A backup of the session table must not hand out a way into a team."""
    _invitation, accept_path = invite("fresh@example.com", Role.EDITOR)
    token = accept_path.rstrip("/").rsplit("/", 1)[-1]
    client.get(accept_path)
    assert Session.objects.exists()
    assert token not in _sessions_text()
    response = client.post(
        reverse("account_signup"),
        {"email": "fresh@example.com", "password1": "a-long-Passw0rd!", "password2": "a-long-Passw0rd!"},
    )
    assert response["Location"] == reverse("invitation_pending")
    assert token not in _sessions_text()
    response = client.post(response["Location"])
    assert response["Location"] == reverse("team_detail", args=[team.slug])
    assert Membership.objects.filter(team=team, user__email="fresh@example.com").exists()


def test_a_resent_invitation_makes_the_one_kept_in_the_session_stale(team, creator, invite, client, password):
    invitee = UserFactory(email="member@example.com")
    invitation, accept_path = invite("member@example.com")
    client.get(accept_path)
    services.invitation_resend(invitation=invitation, actor=creator)
    client.force_login(invitee)
    response = client.post(reverse("invitation_pending"))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert not Membership.objects.filter(team=team, user=invitee).exists()


def test_signing_up_with_another_address_still_needs_verification(team, invite, client):
    _invitation, accept_path = invite("fresh@example.com")
    client.get(accept_path)
    client.post(
        reverse("account_signup"),
        {"email": "other@example.com", "password1": "a-long-Passw0rd!", "password2": "a-long-Passw0rd!"},
    )
    assert not EmailAddress.objects.get(email="other@example.com").verified


def test_signed_out_acceptance_through_login_comes_back_to_the_invitation(team, invite, client, password):
    invitee = UserFactory(email="member@example.com")
    _invitation, accept_path = invite("member@example.com", Role.ADMIN)
    client.get(accept_path)
    # Even without the next parameter, the pending invitation brings the person back.
    response = client.post(reverse("account_login"), {"login": "member@example.com", "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("invitation_pending")
    response = client.post(response["Location"])
    assert response.status_code == 302
    assert Membership.objects.get(team=team, user=invitee).role == Role.ADMIN
    assert INVITATION_SESSION_KEY not in client.session


def test_an_existing_user_is_notified_in_app_and_can_accept_from_the_teams_page(
    team, invite, client_for, django_capture_on_commit_callbacks
):
    invitee = UserFactory(email="known@example.com")
    invitation, _path = invite("known@example.com")
    notification = Notification.objects.get(recipient=invitee)
    assert notification.kind == "invitation"
    assert notification.text == "Cora Creator invited you to join Studio Nine as Editor."
    client = client_for(invitee)
    page = client.get(reverse("team_list"))
    assert "Invitations for you" in page.content.decode()
    response = client.post(reverse("invitation_accept_mine", args=[invitation.pk]))
    assert response["Location"] == reverse("team_detail", args=[team.slug])
    assert Membership.objects.filter(team=team, user=invitee).exists()


def test_nobody_else_can_accept_an_invitation_by_its_id(team, invite, outsider, client_for):
    invitation, _path = invite("known@example.com")
    assert client_for(outsider).post(reverse("invitation_accept_mine", args=[invitation.pk])).status_code == 404


def test_invitations_over_the_api(team, creator, client_for, django_capture_on_commit_callbacks):
    owner = client_for(creator)
    url = reverse("api-invitation-list", args=[team.slug])
    with django_capture_on_commit_callbacks(execute=True):
        created = owner.post(url, {"email": "api@example.com", "role": "editor"}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "pending"
    assert "token" not in created.json()
    assert [row["email"] for row in owner.get(url).json()["results"]] == ["api@example.com"]
    invitation_id = created.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        resent = owner.post(reverse("api-invitation-resend", args=[team.slug, invitation_id]))
    assert resent.json()["send_count"] == 2
    token = path_of(link_in(mail.outbox[-1].body)).rstrip("/").rsplit("/", 1)[1]

    duplicate = owner.post(url, {"email": "api@example.com", "role": "editor"}, content_type="application/json")
    assert duplicate.status_code == 400
    assert "re-send" in duplicate.json()["email"][0]

    invitee = client_for(UserFactory(email="api@example.com"))
    wrong = client_for(UserFactory(email="nope@example.com"))
    accept = reverse("api-invitation-accept")
    refused = wrong.post(accept, {"token": token}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "invitation_wrong_user"
    accepted = invitee.post(accept, {"token": token}, content_type="application/json")
    assert accepted.status_code == 201
    assert accepted.json()["role"] == "editor"
    again = invitee.post(accept, {"token": token}, content_type="application/json")
    assert again.status_code == 400
    assert again.json()["code"] == "invitation_accepted"
    assert owner.get(url).json()["results"] == []


def test_revoking_over_the_api(team, creator, client_for):
    invitation, _token = make_invitation(team=team, email="gone@example.com", invited_by=creator)
    response = client_for(creator).post(reverse("api-invitation-revoke", args=[team.slug, invitation.pk]))
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"


def test_page_actions_resend_and_revoke(team, creator_client, creator, django_capture_on_commit_callbacks):
    invitation, _token = make_invitation(team=team, email="page@example.com", invited_by=creator)
    with django_capture_on_commit_callbacks(execute=True):
        creator_client.post(reverse("invitation_resend", args=[team.slug, invitation.pk]))
    assert mail.outbox[-1].to == ["page@example.com"]
    creator_client.post(reverse("invitation_revoke", args=[team.slug, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    page = creator_client.get(reverse("team_detail", args=[team.slug])).content.decode()
    assert "No pending invitations." in page


def test_a_member_who_joined_another_way_is_told_they_already_belong(team, creator, client_for):
    member = UserFactory(email="both@example.com")
    _invitation, token = make_invitation(team=team, email="both@example.com", invited_by=creator)
    MembershipFactory(team=team, user=member, role=Role.VIEWER)
    response = client_for(member).post(reverse("invitation_accept", args=[token]))
    assert response.status_code == 400
    assert "already a member" in response.content.decode()
