"""A task enqueued on commit is picked up and run by a real Celery worker through the broker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import transaction

from config.celery import app
from teams.models import OutboundEmail
from teams.services import email_queue

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    """A worker thread consuming from the configured broker (Redis in CI, files by default)."""
    app.conf.task_always_eager = False
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=30):
        yield
    app.conf.task_always_eager = True


def wait_for(condition, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def queue(text: str):
    return email_queue(
        to="a@example.com",
        template="teams/email/notification",
        context={"user": {"name": "Ana"}, "text": text, "target_url": "", "settings_url": "https://x.local/"},
        language="en",
    )


def test_a_task_enqueued_on_commit_runs_in_the_worker(worker):
    with transaction.atomic():
        outbound = queue("Your export is ready")
        # Until the commit, nothing has been handed to the broker.
        time.sleep(0.5)
        assert OutboundEmail.objects.get(pk=outbound.pk).status == OutboundEmail.Status.QUEUED

    assert wait_for(lambda: OutboundEmail.objects.get(pk=outbound.pk).status == OutboundEmail.Status.SENT)
    assert [m.subject for m in mail.outbox] == ["Your export is ready"]


def test_nothing_is_enqueued_when_the_transaction_rolls_back(worker):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue("Never")
        raise RuntimeError("the request failed")
    time.sleep(1.5)
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_the_configured_broker_is_what_the_worker_uses():
    import os

    expected = os.environ.get("CELERY_BROKER_URL", "filesystem://")
    assert app.connection_for_write().as_uri().split("://")[0] == expected.split("://")[0]
