"""Every mail the project sends goes through the one entry point (teams.services.email_queue):
each arrives with a plain-text and an HTML part, both written in the recipient's language."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from teams import services
from teams.models import Membership, OutboundEmail

pytestmark = pytest.mark.django_db


def parts_of(message) -> tuple[str, str]:
    """The text and the HTML part of a sent mail; fails if either is missing."""
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert message.body.strip()
    return message.body, html


def test_allauth_mail_is_written_in_the_account_holders_language(client, creator, django_capture_on_commit_callbacks):
    creator.language = "de"
    creator.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        # The page is English; the mail follows the account's language.
        client.post(reverse("account_reset_password"), {"email": creator.email}, HTTP_ACCEPT_LANGUAGE="en")
    message = mail.outbox[0]
    assert message.subject == "[Video Creator] Passwort zurücksetzen"
    text, html = parts_of(message)
    assert '<html lang="de"' in html
    link = text.split("http://testserver", 1)[1].split()[0]
    assert f'href="http://testserver{link}"' in html
    assert OutboundEmail.objects.get().kind == "account/email/password_reset_key"


def test_allauth_mail_to_a_stranger_is_written_in_the_language_of_the_page(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "nouveau@example.com", "password1": "a-long-Passw0rd!", "password2": "a-long-Passw0rd!"},
            HTTP_ACCEPT_LANGUAGE="fr",
        )
    _text, html = parts_of(mail.outbox[0])
    assert '<html lang="fr"' in html


def test_the_invitation_is_written_in_the_teams_language(team, creator, django_capture_on_commit_callbacks):
    team.language = "fr"
    team.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(team=team, actor=creator, email="ami@example.com", role=Membership.Role.EDITOR)
    text, html = parts_of(mail.outbox[0])
    assert '<html lang="fr"' in html
    with translation.override("fr"):
        role = str(Membership.Role.EDITOR.label)
    assert role in text and role in html
    assert OutboundEmail.objects.get().kind == "teams/email/invitation"


def test_a_notification_is_written_in_the_recipients_language(
    team, creator, editor, django_capture_on_commit_callbacks
):
    editor.language = "de"
    editor.save(update_fields=["language"])
    membership = Membership.objects.get(team=team, user=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_change_role(membership=membership, actor=creator, role=Membership.Role.ADMIN)
    [message] = [m for m in mail.outbox if m.to == [editor.email]]
    text, html = parts_of(message)
    assert message.subject.startswith("Deine Rolle in Studio Nine ist jetzt")
    assert "Deine Rolle in Studio Nine" in text
    assert '<html lang="de"' in html and "Deine Rolle in Studio Nine" in html
