"""No readable secret at rest in the outbox: the links of password resets, e-mail confirmations
and invitations never appear in its table (every column, read with raw SQL) nor in the ops
console, neither while the mail waits in the queue nor after it went out."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from teams import services
from teams.models import OutboundEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def outbox_table_text() -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {OutboundEmail._meta.db_table}")  # noqa: S608 (a fixed table name)
        return repr(cursor.fetchall())


def admin_pages_text(client) -> str:
    pages = [client.get(reverse("admin:teams_outboundemail_changelist"))]
    pages += [
        client.get(reverse("admin:teams_outboundemail_change", args=[pk]))
        for pk in OutboundEmail.objects.values_list("pk", flat=True)
    ]
    assert all(page.status_code == 200 for page in pages)
    return "".join(page.content.decode() for page in pages)


def secrets_in(body: str) -> list[str]:
    """The link of the mail and its last path segments: the key or token a thief would need."""
    url = re.search(r"https?://\S+", body).group(0)
    parts = [part for part in url.split("/") if part]
    # A signed key may contain "-" inside its base64 signature, so its last dash-separated piece can
    # be a few characters long, short enough to turn up by chance in any encrypted text: only pieces
    # long enough to be a secret count.
    return [piece for piece in [url, parts[-1], *parts[-1].split("-")[-1:]] if len(piece) >= 16]


@pytest.fixture
def staff_viewer(client):
    """Staff who may only view outbound e-mail: the person the issue worried about."""
    from django.contrib.auth.models import Permission

    user = UserFactory(email="ops@example.com", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_outboundemail"))
    client.force_login(user)
    return client


def queue_one_of_each(client, team, creator) -> None:
    """A password reset, an e-mail confirmation and an invitation, left in the queue."""
    client.post(reverse("account_reset_password"), {"email": creator.email})
    client.post(
        reverse("account_signup"),
        {"email": "newcomer@example.com", "password1": "a-long-Passw0rd!", "password2": "a-long-Passw0rd!"},
    )
    services.invitation_create(team=team, actor=creator, email="invitee@example.com", role="editor")


def test_queued_and_sent_mail_keeps_no_key_or_token(
    client, staff_viewer, team, creator, django_capture_on_commit_callbacks
):
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=False) as queued:
        queue_one_of_each(Client(), team, creator)
    assert OutboundEmail.objects.count() == 3
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {OutboundEmail.Status.QUEUED}

    # While queued: nothing readable in the table or the console.
    table_while_queued = outbox_table_text()
    console_while_queued = admin_pages_text(staff_viewer)

    for callback in queued:
        callback()
    assert len(mail.outbox) == 3
    secrets = [secret for message in mail.outbox for secret in secrets_in(message.body)]
    assert len(secrets) >= 6  # at least each link and its key or token
    for secret in secrets:
        assert secret not in table_while_queued
        assert secret not in console_while_queued

    # Once sent: still nothing, and the rows keep only what staff need to follow the mail.
    table_after = outbox_table_text()
    console_after = admin_pages_text(staff_viewer)
    for secret in secrets:
        assert secret not in table_after
        assert secret not in console_after
    for message in mail.outbox:
        assert message.subject in console_after
    sent = OutboundEmail.objects.order_by("pk")
    assert [row.status for row in sent] == [OutboundEmail.Status.SENT] * 3
    assert [row.kind for row in sent] == [
        "account/email/password_reset_key",
        "account/email/email_confirmation_signup",
        "teams/email/invitation",
    ]
    assert all(row.to and row.subject and row.sent_at for row in sent)
