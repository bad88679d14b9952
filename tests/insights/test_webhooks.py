"""Webhook deliveries: Standard Webhooks signatures, the outbox, retries on the Svix schedule, disabling."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from insights.event_names import EventName
from insights.events import record_event
from insights.models import WebhookDelivery, WebhookEndpoint
from insights.services import (
    webhook_deliveries_requeue_due,
    webhook_delivery_attempt,
    webhook_delivery_redeliver,
    webhook_endpoint_create,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_send_test,
)
from insights.services.webhooks import RETRY_SCHEDULE_SECONDS, retry_delay_seconds
from teams.models import Notification
from teams.notification_kinds import NotificationKind
from tests.receiver import Answer, Receiver
from tests.videos.factories import VideoFactory

pytestmark = pytest.mark.django_db


def endpoint_for(user, url, *, team=None, events=(EventName.VIDEO_CREATED,)):
    return webhook_endpoint_create(actor=user, team=team, url=url, event_types=list(events))


def video_created(user, *, team=None, capture=None):
    video = VideoFactory(owner=user, team=team)
    record_event(name=EventName.VIDEO_CREATED, actor=user, subject=video, payload={"video_id": video.pk})
    return video


def test_every_delivery_verifies_with_the_standardwebhooks_package(creator, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        _endpoint, secret = endpoint_for(creator, receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            video = video_created(creator)
    assert secret.startswith("whsec_")
    [request] = receiver.received
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload["type"] == "video.created"
    assert payload["data"]["video_id"] == video.pk
    assert set(json.loads(request.body)) == {"type", "timestamp", "data"}
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 1, 200)
    assert request.headers["webhook-id"] == delivery.message_id
    # Another secret does not verify it.
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 32).verify(request.body, request.headers)


def test_the_secret_is_encrypted_at_rest(creator):
    endpoint, secret = endpoint_for(creator, "http://127.0.0.1:9/hook")
    stored = WebhookEndpoint.objects.filter(pk=endpoint.pk).values_list("secret_sealed", flat=True).get()
    assert secret not in stored
    assert secret.removeprefix("whsec_") not in stored
    assert WebhookEndpoint.objects.get(pk=endpoint.pk).secret == secret


def test_during_a_rotation_both_secrets_sign_for_24_hours(creator, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        endpoint, old = endpoint_for(creator, receiver.url)
        new = webhook_endpoint_rotate_secret(endpoint=endpoint, actor=creator)
        with django_capture_on_commit_callbacks(execute=True):
            video_created(creator)
    [request] = receiver.received
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    assert Webhook(old).verify(request.body, request.headers)
    assert Webhook(new).verify(request.body, request.headers)
    endpoint.refresh_from_db()
    assert endpoint.signing_secrets(now=timezone.now() + timedelta(hours=25)) == [new]


def test_a_redelivery_keeps_the_webhook_id(creator, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        _endpoint, secret = endpoint_for(creator, receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            video_created(creator)
        first = WebhookDelivery.objects.get()
        with django_capture_on_commit_callbacks(execute=True):
            again = webhook_delivery_redeliver(delivery=first, actor=creator)
    assert [r.headers["webhook-id"] for r in receiver.received] == [first.message_id] * 2
    assert receiver.received[0].body == receiver.received[1].body
    again.refresh_from_db()
    assert again.status == "succeeded"
    assert Webhook(secret).verify(receiver.received[1].body, receiver.received[1].headers)


def test_the_test_event_is_sent_at_once(creator, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        endpoint, secret = endpoint_for(creator, receiver.url)
        with django_capture_on_commit_callbacks(execute=True):
            webhook_endpoint_send_test(endpoint=endpoint, actor=creator)
    assert Webhook(secret).verify(receiver.received[0].body, receiver.received[0].headers)["type"] == "webhook.test"


def test_deliveries_go_to_the_endpoints_of_the_subjects_account_that_chose_the_event(
    creator, team, editor, outsider, django_capture_on_commit_callbacks
):
    with Receiver() as personal, Receiver() as team_hook, Receiver() as other, Receiver() as unsubscribed:
        endpoint_for(creator, personal.url)
        endpoint_for(creator, team_hook.url, team=team)
        endpoint_for(outsider, other.url)
        endpoint_for(creator, unsubscribed.url, events=[EventName.PAYMENT_FAILED])
        off, _secret = endpoint_for(creator, personal.url)
        WebhookEndpoint.objects.filter(pk=off.pk).update(is_active=False)
        with django_capture_on_commit_callbacks(execute=True):
            video_created(editor, team=team)  # a team video: the team's endpoints
            video_created(creator)  # a personal one: the creator's own
            record_event(name=EventName.USER_PROFILE_UPDATED, actor=creator, subject=creator)  # not public
    assert len(personal.received) == 1
    assert len(team_hook.received) == 1
    assert other.received == unsubscribed.received == []


def test_the_delivery_rows_roll_back_with_the_event(creator):
    endpoint_for(creator, "http://127.0.0.1:9/hook")
    with pytest.raises(RuntimeError), transaction.atomic():
        video_created(creator)
        assert WebhookDelivery.objects.count() == 1
        raise RuntimeError("the change failed")
    assert not WebhookDelivery.objects.exists()


def test_deliveries_lost_on_the_way_to_the_broker_are_sent_by_the_sweeper(creator, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        _endpoint, _secret = endpoint_for(creator, receiver.url)
        # The commit's hand-over to the broker never happens (broker down, process killed).
        with django_capture_on_commit_callbacks(execute=False):
            video_created(creator)
        assert receiver.received == []
        assert WebhookDelivery.objects.get().status == "pending"
        with django_capture_on_commit_callbacks(execute=True):
            assert webhook_deliveries_requeue_due() == 1
        assert webhook_deliveries_requeue_due() == 0
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get().status == "succeeded"


def _fresh_broker_pools(app):
    app._pool = None
    app.amqp._producer_pool = None


def test_deliveries_survive_an_unreachable_broker(creator, django_capture_on_commit_callbacks):
    from config.celery import app

    with Receiver() as receiver:
        endpoint_for(creator, receiver.url)
        saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager", "task_publish_retry")}
        app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False, task_publish_retry=False)
        _fresh_broker_pools(app)
        try:
            with django_capture_on_commit_callbacks(execute=True):
                video_created(creator)  # the commit succeeds although nothing reaches a broker
        finally:
            app.conf.update(saved)
            _fresh_broker_pools(app)
        assert receiver.received == []
        assert WebhookDelivery.objects.get().status == "pending"
        with django_capture_on_commit_callbacks(execute=True):
            webhook_deliveries_requeue_due()
    assert len(receiver.received) == 1


def pending_delivery(creator, receiver, django_capture_on_commit_callbacks):
    endpoint, _secret = endpoint_for(creator, receiver.url)
    with django_capture_on_commit_callbacks(execute=False):
        video_created(creator)
    return WebhookDelivery.objects.get(), endpoint


def test_retries_follow_the_svix_schedule_and_honour_retry_after(creator, django_capture_on_commit_callbacks):
    answers = [Answer(500), Answer(503, {"Retry-After": "1200"}), Answer(429), Answer(200)]
    with Receiver(answers) as receiver:
        delivery, _endpoint = pending_delivery(creator, receiver, django_capture_on_commit_callbacks)
        clock = timezone.now()
        assert webhook_delivery_attempt(delivery_id=delivery.pk, now=clock) == "retry"
        delivery.refresh_from_db()
        wait = (delivery.next_attempt_at - clock).total_seconds()
        assert 4.5 <= wait <= 5.5  # 5 s, ±10 % jitter
        # Not due yet: nothing is sent.
        assert webhook_delivery_attempt(delivery_id=delivery.pk, now=clock + timedelta(seconds=4)) == "not-due"
        clock = delivery.next_attempt_at
        assert webhook_delivery_attempt(delivery_id=delivery.pk, now=clock) == "retry"
        delivery.refresh_from_db()
        wait = (delivery.next_attempt_at - clock).total_seconds()
        assert wait == pytest.approx(1200)  # Retry-After (20 min) beats the schedule's 5 min
        clock = delivery.next_attempt_at
        assert webhook_delivery_attempt(delivery_id=delivery.pk, now=clock) == "retry"
        delivery.refresh_from_db()
        assert 0.9 * 1800 <= (delivery.next_attempt_at - clock).total_seconds() <= 1.1 * 1800
        assert webhook_delivery_attempt(delivery_id=delivery.pk, now=delivery.next_attempt_at) == "succeeded"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 4, 200)
    assert len(receiver.received) == 4
    # The same message every time.
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1


def test_the_schedule_gives_up_after_eight_attempts():
    assert RETRY_SCHEDULE_SECONDS == [0, 5, 300, 1800, 7200, 18000, 36000, 36000]
    for attempts, base in enumerate(RETRY_SCHEDULE_SECONDS):
        assert base * 0.9 <= retry_delay_seconds(attempts=attempts) <= base * 1.1
    assert retry_delay_seconds(attempts=8) is None


def test_a_network_error_is_retried(creator, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        url = receiver.url
    _endpoint, _secret = endpoint_for(creator, url)  # nobody listens there any more
    with django_capture_on_commit_callbacks(execute=False):
        video_created(creator)
    delivery = WebhookDelivery.objects.get()
    assert webhook_delivery_attempt(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert delivery.error and delivery.response_status is None and delivery.status == "pending"


@pytest.mark.parametrize("code", [400, 401, 404, 302])
def test_other_answers_are_not_retried(creator, django_capture_on_commit_callbacks, code):
    with Receiver([Answer(code, {"Location": "http://10.0.0.1/"})]) as receiver:
        delivery, _endpoint = pending_delivery(creator, receiver, django_capture_on_commit_callbacks)
        assert webhook_delivery_attempt(delivery_id=delivery.pk) == "failed"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("failed", 1, code)
    assert len(receiver.received) == 1


def test_a_410_turns_the_endpoint_off_at_once_and_tells_its_owner(creator, django_capture_on_commit_callbacks):
    with Receiver([Answer(410)]) as receiver:
        delivery, endpoint = pending_delivery(creator, receiver, django_capture_on_commit_callbacks)
        with django_capture_on_commit_callbacks(execute=True):
            assert webhook_delivery_attempt(delivery_id=delivery.pk) == "gone"
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.disabled_reason) == (False, "gone")
    assert Notification.objects.get(recipient=creator).kind == NotificationKind.WEBHOOK_DISABLED
    assert [m.to for m in mail.outbox] == [[creator.email]]


def test_an_endpoint_failing_for_five_days_is_turned_off_and_its_owner_told(
    creator, django_capture_on_commit_callbacks
):
    with Receiver([Answer(500)]) as receiver:
        endpoint, _secret = endpoint_for(creator, receiver.url)
        with django_capture_on_commit_callbacks(execute=False):
            video_created(creator)
            video_created(creator)
        first, second = WebhookDelivery.objects.order_by("pk")
        start = timezone.now()
        assert webhook_delivery_attempt(delivery_id=first.pk, now=start) == "retry"
        endpoint.refresh_from_db()
        assert endpoint.failing_since == start
        with django_capture_on_commit_callbacks(execute=True):
            outcome = webhook_delivery_attempt(delivery_id=second.pk, now=start + timedelta(days=5, seconds=1))
    assert outcome == "disabled"
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.disabled_reason) == (False, "failing")
    first.refresh_from_db()
    assert first.status == "failed"  # its pending retries end with the endpoint
    assert Notification.objects.filter(recipient=creator, kind=NotificationKind.WEBHOOK_DISABLED).count() == 1
    assert len(mail.outbox) == 1


def test_a_success_clears_the_failing_clock(creator, django_capture_on_commit_callbacks):
    with Receiver([Answer(500), Answer(200)]) as receiver:
        delivery, endpoint = pending_delivery(creator, receiver, django_capture_on_commit_callbacks)
        clock = timezone.now()
        webhook_delivery_attempt(delivery_id=delivery.pk, now=clock)
        delivery.refresh_from_db()
        webhook_delivery_attempt(delivery_id=delivery.pk, now=delivery.next_attempt_at)
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None and endpoint.is_active


def test_a_claimed_delivery_is_not_sent_twice_at_once(creator, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        delivery, _endpoint = pending_delivery(creator, receiver, django_capture_on_commit_callbacks)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(claimed_until=timezone.now() + timedelta(seconds=30))
        assert webhook_delivery_attempt(delivery_id=delivery.pk) == "not-due"
        assert webhook_deliveries_requeue_due() == 0
    assert receiver.received == []


def test_a_busy_endpoint_waits_instead_of_taking_more_worker_slots(creator, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        _endpoint, _secret = endpoint_for(creator, receiver.url)
        with django_capture_on_commit_callbacks(execute=False):
            for _ in range(3):
                video_created(creator)
        first, second, third = WebhookDelivery.objects.order_by("pk")
        in_flight = timezone.now() + timedelta(seconds=30)
        WebhookDelivery.objects.filter(pk__in=[first.pk, second.pk]).update(claimed_until=in_flight)
        with django_capture_on_commit_callbacks(execute=False):
            assert webhook_delivery_attempt(delivery_id=third.pk) == "endpoint-busy"
    third.refresh_from_db()
    assert third.status == "pending" and third.attempts == 0 and third.claimed_until is None
    assert receiver.received == []


def test_a_worker_drains_the_endpoints_due_deliveries_one_after_another(creator, django_capture_on_commit_callbacks):
    from insights.services import webhook_deliveries_drain

    with Receiver() as receiver:
        endpoint_for(creator, receiver.url)
        with django_capture_on_commit_callbacks(execute=False):
            for _ in range(3):
                video_created(creator)
        first = WebhookDelivery.objects.order_by("pk").first()
        assert webhook_deliveries_drain(delivery_id=first.pk) == 3
    assert len(receiver.received) == 3
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_a_url_that_now_resolves_to_a_private_address_is_not_contacted(
    creator, settings, django_capture_on_commit_callbacks
):
    with Receiver() as receiver:
        delivery, _endpoint = pending_delivery(creator, receiver, django_capture_on_commit_callbacks)
        settings.SAFE_HTTP_ALLOW_LOOPBACK = False  # as in production: 127.0.0.1 is refused
        assert webhook_delivery_attempt(delivery_id=delivery.pk) == "retry"
    delivery.refresh_from_db()
    assert "private" in delivery.error
    assert receiver.received == []


def test_a_finished_render_is_announced_as_video_rendered(creator, django_capture_on_commit_callbacks):
    from videos.models import Template
    from videos.services import video_create_from_template

    with Receiver() as receiver:
        _endpoint, secret = endpoint_for(creator, receiver.url, events=[EventName.VIDEO_RENDERED])
        with django_capture_on_commit_callbacks(execute=True):
            video = video_create_from_template(
                user=creator,
                team=None,
                template=Template.objects.get(slug="youtube-short-quote-animation"),
                title="Rendered",
                customization={"duration": 5},
            )
    [request] = receiver.received
    payload = Webhook(secret).verify(request.body, request.headers)
    assert payload["type"] == "video.rendered"
    assert (payload["data"]["video_id"], payload["data"]["version"]) == (video.pk, 1)


def test_an_export_ready_reaches_its_owners_endpoints(creator, outsider, django_capture_on_commit_callbacks):
    from videos.models import ExportJob

    with Receiver() as mine, Receiver() as theirs:
        _endpoint, secret = endpoint_for(creator, mine.url, events=[EventName.EXPORT_READY])
        endpoint_for(outsider, theirs.url, events=[EventName.EXPORT_READY])
        job = ExportJob.objects.create(owner=creator, video_count=2)
        with django_capture_on_commit_callbacks(execute=True):
            record_event(name=EventName.EXPORT_READY, actor=creator, subject=job, payload={"export_id": job.pk})
    payload = Webhook(secret).verify(mine.received[0].body, mine.received[0].headers)
    assert (payload["type"], payload["data"]["export_id"], payload["data"]["object"]) == (
        "export.ready",
        job.pk,
        "exportjob",
    )
    assert theirs.received == []
