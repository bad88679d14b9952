"""E-mail leaves the request: rendered once in the recipient's language, stored encrypted, sent
exactly once by a worker, and its content erased after sending."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from config.celery import TransientError
from teams.models import OutboundEmail
from teams.services import (
    email_deliver,
    email_queue,
    email_render,
    emails_erase_abandoned,
    emails_requeue_stale,
    emails_resend_failed,
)
from teams.tasks import emails_requeue_stale as outbox_sweep

pytestmark = pytest.mark.django_db

NOTIFICATION_CONTEXT = {
    "user": {"name": "Ana"},
    "text": "Your export is ready.",
    "target_url": "https://videocreator.local/exports/7/",
    "settings_url": "https://videocreator.local/settings/notifications/",
}


def queue(**overrides) -> OutboundEmail:
    arguments = {
        "to": "someone@example.com",
        "template": "teams/email/notification",
        "context": NOTIFICATION_CONTEXT,
        "language": "en",
    }
    return email_queue(**{**arguments, **overrides})


def stored(*, text: str = "b", **fields) -> OutboundEmail:
    """An outbox row as the entry point leaves it, with `fields` overridden."""
    row = OutboundEmail(**{"to": ["a@example.com"], "from_email": "x@example.com", "subject": "s", **fields})
    row.seal(text=text)
    row.save()
    return row


def test_queued_mail_is_sent_only_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbound = queue()
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.SENT
    assert outbound.sent_at is not None
    sent = mail.outbox[0]
    assert (sent.subject, sent.to) == ("Your export is ready.", ["someone@example.com"])
    assert "Hello Ana," in sent.body
    assert "https://videocreator.local/exports/7/" in sent.body


def test_every_mail_has_a_text_and_an_html_part_with_clickable_links(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue()
    (html, mimetype) = mail.outbox[0].alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en"' in html
    assert '<a href="https://videocreator.local/exports/7/"' in html
    assert "Hello Ana," in html


def test_a_template_of_its_own_replaces_the_html_layout(settings, tmp_path):
    (tmp_path / "campaign").mkdir()
    for name, content in {
        "welcome_subject.txt": "{% load i18n %}{% translate 'Settings' %}",
        "welcome_message.txt": "{% autoescape off %}Hi {{ name }}{% endautoescape %}",
        "welcome_message.html": "<h1>Hi {{ name }}</h1>",
    }.items():
        (tmp_path / "campaign" / name).write_text(content)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    rendered = email_render(template="campaign/welcome", context={"name": "<Ana>"}, language="de")
    assert rendered.subject == "Einstellungen"
    assert rendered.text == "Hi <Ana>"
    assert rendered.html == "<h1>Hi &lt;Ana&gt;</h1>"


def test_the_content_is_encrypted_while_queued_and_erased_once_sent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbound = queue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM teams_outboundemail")
        row = repr(cursor.fetchall())
    assert "Hello Ana" not in row and "exports/7" not in row
    assert outbound.unseal()["text"].startswith("Hello Ana,")

    callbacks[0]()
    outbound.refresh_from_db()
    assert outbound.sealed_content == ""
    assert (outbound.to, outbound.subject, outbound.kind) == (
        ["someone@example.com"],
        "Your export is ready.",
        "teams/email/notification",
    )


def test_queued_mail_survives_a_secret_key_rotation(settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbound = queue()
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-brand-new-secret-key-" + "x" * 40, [old_key]
    callbacks[0]()
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.SENT
    assert "Hello Ana," in mail.outbox[0].body


def test_mail_sealed_under_a_retired_key_fails_clearly_instead_of_retrying(settings):
    outbound = stored()
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "a-brand-new-secret-key-" + "x" * 40, []
    email_deliver(email_id=outbound.pk)
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.FAILED
    assert "cannot be decrypted" in outbound.last_error
    assert outbound.sealed_content == ""
    assert mail.outbox == []


def test_delivering_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbound = queue()
    email_deliver(email_id=outbound.pk)
    email_deliver(email_id=outbound.pk)
    assert len(mail.outbox) == 1
    outbound.refresh_from_db()
    assert outbound.attempts == 1


def test_a_transport_failure_is_recorded_and_retried(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    outbound = stored()
    with pytest.raises(TransientError):
        email_deliver(email_id=outbound.pk)
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.QUEUED
    assert outbound.attempts == 1
    assert "ConnectionRefusedError" in outbound.last_error
    assert outbound.unseal()["text"] == "b"  # kept (encrypted) for the next attempt


def test_after_the_last_attempt_the_mail_is_marked_failed_and_staff_can_resend(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    outbound = stored(attempts=5)
    email_deliver(email_id=outbound.pk)
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert emails_resend_failed(email_ids=[outbound.pk]) == 1
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.SENT
    assert len(mail.outbox) == 1


def test_mail_stuck_in_the_queue_is_sent_by_the_sweeper():
    stuck = stored(subject="stuck", created_at=timezone.now() - timedelta(minutes=30))
    fresh = stored(subject="fresh")
    assert emails_requeue_stale() == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == OutboundEmail.Status.SENT
    assert fresh.status == OutboundEmail.Status.QUEUED
    assert [m.subject for m in mail.outbox] == ["stuck"]


def test_the_sweeper_erases_what_failed_long_ago_and_it_can_no_longer_be_resent():
    old = stored(status=OutboundEmail.Status.FAILED, created_at=timezone.now() - timedelta(days=8))
    recent = stored(status=OutboundEmail.Status.FAILED, created_at=timezone.now() - timedelta(days=1))
    outbox_sweep()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.sealed_content == "" and recent.sealed_content != ""
    assert emails_resend_failed(email_ids=[old.pk, recent.pk]) == 1
    assert emails_erase_abandoned() == 0


def test_the_sweeper_is_scheduled_in_the_database():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="teams.emails_requeue_stale")
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (5, "minutes")
