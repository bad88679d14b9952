"""The whole path to a real SMTP server on loopback (aiosmtpd): the received campaign mail carries
the RFC 8058 headers, both parts and the recipient's language."""

import email
import socket
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from growth.services.campaigns import campaign_sends_deliver, campaigns_evaluate
from teams.models import OutboundEmail
from tests.growth.campaigns import NOW, only_active, person

pytestmark = pytest.mark.django_db


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's hook name
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"


@pytest.fixture
def smtp_server(settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield inbox
    controller.stop()


def test_a_campaign_mail_reaches_an_smtp_server_with_its_unsubscribe_headers(
    smtp_server, django_capture_on_commit_callbacks
):
    only_active("welcome")
    reader = person(joined_days_ago=0.1, language="fr", email="lecteur@example.com")
    campaigns_evaluate(now=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        campaign_sends_deliver(now=NOW)

    [(_sender, recipients, raw)] = smtp_server.messages
    assert recipients == [reader.email]
    message = email.message_from_bytes(raw, policy=default_policy)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"]).strip()  # a long header may be folded
    assert unsubscribe.startswith("<http") and unsubscribe.endswith(">") and "mailto:" not in unsubscribe
    assert "/email/unsubscribe/" in unsubscribe
    assert message.get_content_type() == "multipart/alternative"
    html = message.get_body(("html",)).get_content()
    assert '<html lang="fr"' in html and "/email/o/" in html  # the recipient's language, the open pixel
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
