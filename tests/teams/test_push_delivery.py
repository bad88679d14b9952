"""Pushing a notification: encrypted for each browser, signed with our VAPID key, sent through the
SSRF-guarded client to a push service on loopback; 404/410 forget the browser, 5xx is retried."""

from datetime import timedelta

import pytest
from django.utils import timezone

from teams import services
from teams.models import PushDelivery, PushSubscription
from teams.notification_kinds import NotificationKind
from teams.push_keys import vapid_keys
from teams.services.push import PushTransient, push_deliveries_requeue_stale, push_delivery_attempt
from teams.tasks import push_deliver
from tests.receiver import Answer
from tests.teams.push_service import PushService, subscribe

pytestmark = pytest.mark.django_db


def mention(recipient, capture):
    with capture(execute=True):
        return services.notification_send(
            recipient=recipient,
            kind=NotificationKind.MENTION,
            params={"actor": "Mia", "video": "Launch teaser"},
            target_url="/videos/7/#comment-3",
        )


def test_a_mention_reaches_every_browser_encrypted_for_it_and_signed_by_us(
    creator, creator_api, django_capture_on_commit_callbacks
):
    with PushService() as service:
        laptop, phone = service.browser("laptop"), service.browser("phone")
        subscribe(creator_api, laptop)
        subscribe(creator_api, phone)
        mention(creator, django_capture_on_commit_callbacks)

        assert sorted(r.path for r in service.received) == ["/push/laptop", "/push/phone"]
        for request in service.received:
            browser = laptop if request.path.endswith("laptop") else phone
            payload = service.open(request, browser, server_public_key=vapid_keys().public_key)
            delivery = PushDelivery.objects.get(subscription__endpoint=browser.endpoint)
            assert payload == {
                "title": "Video Creator",
                "body": "Mia mentioned you on “Launch teaser”.",
                "url": "/videos/7/#comment-3",
                "kind": "mention",
                "tag": f"mention-{delivery.pk}",
                "token": payload["token"],
            }
            # Kept by the push service for a day while the browser is offline, at normal urgency.
            assert request.headers["ttl"] == "86400"
            assert request.headers["urgency"] == "normal"
    assert set(PushDelivery.objects.values_list("status", flat=True)) == {PushDelivery.Status.SENT}
    assert PushSubscription.objects.filter(user=creator, last_success_at__isnull=False).count() == 2


def test_the_payload_cannot_be_read_with_another_browsers_keys(
    creator, creator_api, django_capture_on_commit_callbacks
):
    with PushService() as service:
        mine, stranger = service.browser("mine"), service.browser("stranger")
        subscribe(creator_api, mine)
        mention(creator, django_capture_on_commit_callbacks)
    [request] = service.received
    with pytest.raises(Exception):  # noqa: B017 (http_ece raises a bare InvalidTag/ECEException)
        stranger.decrypt(request.body)


@pytest.mark.parametrize("status", [404, 410])
def test_a_browser_the_push_service_no_longer_knows_is_forgotten(
    status, creator, creator_api, django_capture_on_commit_callbacks
):
    with PushService([Answer(status=status, body=b"gone")]) as service:
        subscribe(creator_api, service.browser())
        mention(creator, django_capture_on_commit_callbacks)
        assert len(service.received) == 1
    assert not PushSubscription.objects.filter(user=creator).exists()
    delivery = PushDelivery.objects.get()
    assert (delivery.status, delivery.response_status) == (PushDelivery.Status.GONE, status)
    assert delivery.subscription is None
    # The next notification finds no browser to push to.
    mention(creator, django_capture_on_commit_callbacks)
    assert PushDelivery.objects.count() == 1


def queue_mention(recipient, capture) -> PushDelivery:
    # The push is written with the notification; its task is run by hand below, as a worker would.
    with capture(execute=False):
        services.notification_send(
            recipient=recipient, kind=NotificationKind.MENTION, params={"actor": "Mia", "video": "Teaser"}
        )
    return PushDelivery.objects.get()


def test_a_busy_push_service_is_tried_again_and_the_retry_delivers(
    creator, creator_api, django_capture_on_commit_callbacks
):
    with PushService([Answer(status=503, body=b"busy"), Answer(status=201, body=b"")]) as service:
        subscribe(creator_api, service.browser())
        delivery = queue_mention(creator, django_capture_on_commit_callbacks)
        # The 503 makes the task ask Celery for a retry (BaseTask's backoff; run at once when eager),
        # which claims the released row again.
        assert push_deliver.apply(args=[delivery.pk], throw=False).result == "sent"
        assert len(service.received) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == (PushDelivery.Status.SENT, 2, 201)


@pytest.mark.parametrize("answer", [Answer(status=500, body=b"down"), Answer(status=429, body=b"slow down")])
def test_the_last_retry_ends_the_delivery_as_failed(answer, creator, creator_api, django_capture_on_commit_callbacks):
    with PushService([answer]) as service:
        subscribe(creator_api, service.browser())
        delivery = queue_mention(creator, django_capture_on_commit_callbacks)
        outcome = push_deliver.apply(args=[delivery.pk], retries=push_deliver.max_retries).result
        assert len(service.received) == 1
    assert outcome == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_status) == (PushDelivery.Status.FAILED, answer.status)
    assert PushSubscription.objects.filter(user=creator).exists()  # a 5xx says nothing about the browser


def test_no_answer_is_worth_a_retry_until_the_last_one(
    creator, creator_api, settings, django_capture_on_commit_callbacks
):
    settings.WEB_PUSH_TIMEOUT_SECONDS = 0.2
    with PushService([Answer(status=201, delay=0.6)]) as service:
        subscribe(creator_api, service.browser())
        delivery = queue_mention(creator, django_capture_on_commit_callbacks)
        with pytest.raises(PushTransient, match="timed out"):
            push_delivery_attempt(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        # Released for the retry, and still pending.
        assert (delivery.status, delivery.attempts, delivery.claimed_until) == (PushDelivery.Status.PENDING, 1, None)
        assert push_deliver.apply(args=[delivery.pk], retries=push_deliver.max_retries).result == "failed"
        assert len(service.received) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (PushDelivery.Status.FAILED, 2)


def test_a_refusal_other_than_gone_fails_without_retrying(creator, creator_api, django_capture_on_commit_callbacks):
    with PushService([Answer(status=400, body=b"bad")]) as service:
        subscribe(creator_api, service.browser())
        mention(creator, django_capture_on_commit_callbacks)
        assert len(service.received) == 1
    assert PushDelivery.objects.get().status == PushDelivery.Status.FAILED


def test_a_delivery_is_sent_once_however_often_its_task_runs(creator, creator_api, django_capture_on_commit_callbacks):
    with PushService() as service:
        subscribe(creator_api, service.browser())
        mention(creator, django_capture_on_commit_callbacks)
        delivery = PushDelivery.objects.get()
        assert push_delivery_attempt(delivery_id=delivery.pk) == "not-due"
        assert len(service.received) == 1


def test_pushes_go_through_the_ssrf_guard(creator, creator_api, settings, django_capture_on_commit_callbacks):
    with PushService() as service:
        subscribe(creator_api, service.browser())
        # As in production: loopback is refused, so the request never leaves.
        settings.SAFE_HTTP_ALLOW_LOOPBACK = False
        mention(creator, django_capture_on_commit_callbacks)
        assert service.received == []
    delivery = PushDelivery.objects.get()
    assert delivery.status == PushDelivery.Status.FAILED
    assert "private or reserved" in delivery.error


def test_the_sweeper_sends_pushes_lost_on_the_way_and_fails_expired_ones(
    creator, creator_api, django_capture_on_commit_callbacks
):
    with PushService() as service:
        subscribe(creator_api, service.browser())
        lost = queue_mention(creator, django_capture_on_commit_callbacks)  # its task never ran
        now = timezone.now()
        assert push_deliveries_requeue_stale(now=now) == (0, 0)  # too young: maybe still on its way
        with django_capture_on_commit_callbacks(execute=True):
            assert push_deliveries_requeue_stale(now=now + timedelta(minutes=3)) == (1, 0)
        assert len(service.received) == 1
        lost.refresh_from_db()
        assert lost.status == PushDelivery.Status.SENT
        # A row that was tried and is waiting for its retry is left to Celery's backoff ...
        waiting = PushDelivery.objects.create(user=creator, kind="mention", attempts=1)
        assert push_deliveries_requeue_stale(now=now + timedelta(minutes=3)) == (0, 0)
        # ... until it is older than any push service would keep it.
        assert push_deliveries_requeue_stale(now=now + timedelta(days=4)) == (0, 1)
        assert len(service.received) == 1
    waiting.refresh_from_db()
    assert waiting.status == PushDelivery.Status.FAILED
