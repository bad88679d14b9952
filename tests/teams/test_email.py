"""E-mail leaves the request: it is stored, then sent exactly once by a worker."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from config.celery import TransientError
from teams.models import OutboundEmail
from teams.services import email_deliver, email_queue, emails_requeue_stale, emails_resend_failed

pytestmark = pytest.mark.django_db


def message(**overrides):
    msg = EmailMultiAlternatives(
        subject=overrides.get("subject", "Hello"),
        body="Plain body",
        from_email="Video Creator <hello@videocreator.local>",
        to=["someone@example.com"],
    )
    msg.attach_alternative("<p>HTML body</p>", "text/html")
    return msg


def test_queued_mail_is_sent_only_after_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outbound = email_queue(message=message(), kind="test")
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.SENT
    assert outbound.sent_at is not None
    sent = mail.outbox[0]
    assert (sent.subject, sent.body, sent.to) == ("Hello", "Plain body", ["someone@example.com"])
    assert sent.alternatives[0].content == "<p>HTML body</p>"


def test_delivering_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outbound = email_queue(message=message(), kind="test")
    email_deliver(email_id=outbound.pk)
    email_deliver(email_id=outbound.pk)
    assert len(mail.outbox) == 1
    outbound.refresh_from_db()
    assert outbound.attempts == 1


def test_a_transport_failure_is_recorded_and_retried(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    outbound = OutboundEmail.objects.create(to=["a@example.com"], from_email="x@example.com", subject="s", body="b")
    with pytest.raises(TransientError):
        email_deliver(email_id=outbound.pk)
    outbound.refresh_from_db()
    assert outbound.status == OutboundEmail.Status.QUEUED
    assert outbound.attempts == 1
    assert "ConnectionRefusedError" in outbound.last_error


def test_after_the_last_attempt_the_mail_is_marked_failed_and_staff_can_resend(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 1
    outbound = OutboundEmail.objects.create(
        to=["a@example.com"], from_email="x@example.com", subject="s", body="b", attempts=5
    )
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
    stuck = OutboundEmail.objects.create(
        to=["a@example.com"],
        from_email="x@example.com",
        subject="stuck",
        body="b",
        created_at=timezone.now() - timedelta(minutes=30),
    )
    fresh = OutboundEmail.objects.create(to=["b@example.com"], from_email="x@example.com", subject="fresh", body="b")
    assert emails_requeue_stale() == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == OutboundEmail.Status.SENT
    assert fresh.status == OutboundEmail.Status.QUEUED
    assert [m.subject for m in mail.outbox] == ["stuck"]


def test_the_sweeper_is_scheduled_in_the_database():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="teams.emails_requeue_stale")
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (5, "minutes")
