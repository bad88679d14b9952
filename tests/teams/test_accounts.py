"""Signing up, verifying the e-mail address, signing in and out, resetting the password."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from insights.models import Event
from teams.models import OutboundEmail, User

pytestmark = pytest.mark.django_db


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_signup_sends_a_verification_mail_and_the_link_signs_the_person_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "New.Person@Example.com", "password1": "a-long-Passw0rd!", "password2": "a-long-Passw0rd!"},
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "new.person@example.com"
    assert not EmailAddress.objects.get(user=user).verified

    # The mail was stored, then sent by the (eager) worker once the signup committed.
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.com"]
    assert "confirm" in mail.outbox[0].subject.lower()
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT

    # Unverified people cannot get in yet.
    client.post(reverse("account_login"), {"login": "new.person@example.com", "password": "a-long-Passw0rd!"})
    assert client.get(reverse("dashboard")).status_code == 302

    confirm_path = link_in(mail.outbox[0]).split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("dashboard")).status_code == 200
    assert list(Event.objects.filter(actor=user).values_list("name", flat=True).order_by("id")) == [
        "user.signed_up",
        "user.verified",
        "user.logged_in",
    ]


def test_signup_with_a_taken_address_tells_the_owner_not_the_stranger(
    client, creator, django_capture_on_commit_callbacks
):
    # The page looks the same as for a new address, so nobody learns who has an account.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {"email": "CREATOR@example.com", "password1": "a-long-Passw0rd!", "password2": "a-long-Passw0rd!"},
        )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["creator@example.com"]]
    assert "already have an account" in mail.outbox[0].subject


def test_signup_with_a_weak_password_is_refused(client):
    response = client.post(
        reverse("account_signup"), {"email": "a@example.com", "password1": "123", "password2": "123"}
    )
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not User.objects.exists()


def test_login_and_logout(client, creator, password):
    response = client.post(reverse("account_login"), {"login": creator.email, "password": password})
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_wrong_password_is_a_form_error(client, creator):
    response = client.post(reverse("account_login"), {"login": creator.email, "password": "nope"})
    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_password_reset_by_mail(client, creator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": creator.email})
    assert len(mail.outbox) == 1
    reset_url = link_in(mail.outbox[0])
    path = "/" + reset_url.split("://", 1)[1].split("/", 1)[1]
    form_page = client.get(path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else path
    response = client.post(action, {"password1": "brand-New-pass-42", "password2": "brand-New-pass-42"})
    assert response.status_code == 302
    creator.refresh_from_db()
    assert creator.check_password("brand-New-pass-42")


def test_password_change(creator_client, creator, password):
    response = creator_client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": "another-Pass-77", "password2": "another-Pass-77"},
    )
    assert response.status_code == 302
    creator.refresh_from_db()
    assert creator.check_password("another-Pass-77")
