"""Webhooks: endpoints, the delivery outbox, and sending one delivery (Standard Webhooks).

The outbox: `record_event` writes one `WebhookDelivery` per subscribed endpoint in the event's own
transaction and hands them to the `webhooks` queue once it commits. If that hand-over is lost
(broker down, process killed), the beat sweeper finds the due rows and enqueues them again; an
attempt claims its row with one conditional UPDATE, so a delivery is never sent twice at once.

Retries follow Svix's schedule (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, with jitter)
on network errors, 429 and 5xx, honouring Retry-After; other answers are final. A 410 turns the
endpoint off at once; an endpoint that keeps failing for 5 days is turned off and its owner told.
"""

import json
import logging
import random
import time
import uuid
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config import safe_http
from config.errors import DomainError, PermissionDenied
from insights.event_names import PUBLIC_EVENTS, WEBHOOK_TEST_EVENT
from insights.models import Event, WebhookDelivery, WebhookEndpoint
from insights.webhook_signing import secret_generate, signed_headers
from teams.models import Membership, Team, User
from teams.permissions import acting_role

logger = logging.getLogger(__name__)

# Seconds to wait before attempt n+1 after attempt n failed (index 0: the first attempt, at once).
RETRY_SCHEDULE_SECONDS = [0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600]
RETRY_JITTER = 0.1  # each wait is stretched or shrunk by up to 10 %
RETRY_AFTER_MAX_SECONDS = 24 * 3600
TIMEOUT_SECONDS = 15
FAILING_DISABLE_AFTER = timedelta(days=5)
ROTATION_OVERLAP = timedelta(hours=24)
# Waits up to this long are handed to the broker as a countdown; longer ones are found by the sweeper.
COUNTDOWN_MAX_SECONDS = 60
# An endpoint may have this many attempts in flight. A delivery that finds it busy is left to the
# workers already sending to that endpoint: each drains the endpoint's due deliveries one after
# another, for at most DRAIN_SECONDS. So a slow endpoint holds at most this many worker slots and
# never delays the others, and a fast one is still served at full speed.
IN_FLIGHT_PER_ENDPOINT = 2
DRAIN_SECONDS = 20
MAX_ENDPOINTS_PER_ACCOUNT = 20
RESPONSE_KEEP_CHARS = 2000
SWEEP_BATCH = 500
MANAGER_ROLES = frozenset({Membership.Role.OWNER, Membership.Role.ADMIN})


class WebhookError(DomainError):
    pass


# --- Endpoints -------------------------------------------------------------------------------


def _require_manager(*, actor: User, team: Team | None, owner_id: int | None = None) -> None:
    # Services check again what the access helpers checked, so the ops console obeys the same rule.
    if team is None:
        if owner_id is not None and owner_id != actor.pk and not actor.is_staff:
            raise PermissionDenied()
        return
    if acting_role(actor=actor, team=team) not in MANAGER_ROLES:
        raise PermissionDenied()


def _clean_event_types(event_types: list[str]) -> list[str]:
    chosen = list(dict.fromkeys(str(name) for name in event_types))
    unknown = [name for name in chosen if name not in PUBLIC_EVENTS]
    if unknown:
        raise WebhookError(
            _("Unknown event types: %(names)s.") % {"names": ", ".join(unknown)}, code="invalid", field="events"
        )
    if not chosen:
        raise WebhookError(_("Choose at least one event type."), code="required", field="events")
    return [name for name in PUBLIC_EVENTS if name in chosen]


@transaction.atomic
def webhook_endpoint_create(
    *, actor: User, team: Team | None, url: str, event_types: list[str], description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its secret, which is never shown again."""
    _require_manager(actor=actor, team=team)
    url = safe_http.url_check(url)
    events = _clean_event_types(event_types)
    existing = WebhookEndpoint.objects.filter(team=team) if team else WebhookEndpoint.objects.filter(owner=actor)
    if team is None:
        existing = existing.filter(team__isnull=True)
    if existing.count() >= MAX_ENDPOINTS_PER_ACCOUNT:
        raise WebhookError(
            _("You have reached the limit of %(n)d webhook endpoints.") % {"n": MAX_ENDPOINTS_PER_ACCOUNT},
            code="limit",
        )
    secret = secret_generate()
    endpoint = WebhookEndpoint(owner=actor, team=team, url=url, event_types=events, description=description)
    endpoint.secret = secret
    endpoint.save()
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    actor: User,
    url: str | None = None,
    event_types: list[str] | None = None,
    description: str | None = None,
    is_active: bool | None = None,
) -> WebhookEndpoint:
    """Change an endpoint; turning it on again forgets why it was off and its failures."""
    _require_manager(actor=actor, team=endpoint.team, owner_id=endpoint.owner_id)
    fields = ["updated_at"]
    if url is not None:
        endpoint.url = safe_http.url_check(url)
        fields.append("url")
    if event_types is not None:
        endpoint.event_types = _clean_event_types(event_types)
        fields.append("event_types")
    if description is not None:
        endpoint.description = description
        fields.append("description")
    if is_active is not None and is_active != endpoint.is_active:
        endpoint.is_active = is_active
        if is_active:
            endpoint.disabled_reason, endpoint.disabled_at, endpoint.failing_since = "", None, None
        else:
            endpoint.disabled_reason, endpoint.disabled_at = WebhookEndpoint.DisabledReason.MANUAL, timezone.now()
        fields += ["is_active", "disabled_reason", "disabled_at", "failing_since"]
    endpoint.save(update_fields=fields)
    return endpoint


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, actor: User) -> None:
    """Delete an endpoint and its delivery log."""
    _require_manager(actor=actor, team=endpoint.team, owner_id=endpoint.owner_id)
    endpoint.delete()


@transaction.atomic
def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint, actor: User) -> str:
    """A new secret; the old one keeps signing too for 24 hours. Returns the new secret, shown once."""
    _require_manager(actor=actor, team=endpoint.team, owner_id=endpoint.owner_id)
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    secret = secret_generate()
    endpoint.previous_secret_sealed = endpoint.secret_sealed
    endpoint.previous_secret_expires_at = timezone.now() + ROTATION_OVERLAP
    endpoint.secret = secret
    endpoint.save(update_fields=["secret_sealed", "previous_secret_sealed", "previous_secret_expires_at", "updated_at"])
    return secret


# --- Creating deliveries ---------------------------------------------------------------------


def _body(*, event_type: str, timestamp: datetime, data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    payload = {"type": event_type, "timestamp": timestamp.isoformat().replace("+00:00", "Z"), "data": data}
    return payload, json.dumps(payload, cls=DjangoJSONEncoder, separators=(",", ":"), sort_keys=True)


def _new_message_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


def _audience(*, event: Event, subject: models.Model | None) -> Q | None:
    """Which endpoints hear of an event: the subject's team's, else its owner's (or the actor's) own."""
    team_id = getattr(subject, "team_id", None)
    if team_id is None and subject is not None and hasattr(subject, "video_id"):
        # A comment (or anything else about a video) belongs where its video does.
        from videos.models import Video

        owner = Video.objects.filter(pk=subject.video_id).values("team_id", "owner_id").first() or {}
        team_id = owner.get("team_id")
        user_id = owner.get("owner_id")
    else:
        user_id = getattr(subject, "owner_id", None) or getattr(subject, "user_id", None) or event.actor_id
    if team_id is not None:
        return Q(team_id=team_id)
    if user_id is not None:
        return Q(owner_id=user_id, team__isnull=True)
    return None


def webhook_deliveries_create_for_event(*, event: Event, subject: models.Model | None) -> list[int]:
    """Write the deliveries of a public event in its transaction; enqueue them once it commits."""
    audience = _audience(event=event, subject=subject)
    if audience is None:
        return []
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(audience, is_active=True).only("pk", "event_types")
        if event.name in endpoint.event_types
    ]
    if not endpoints:
        return []
    data = dict(event.payload or {})
    if event.subject_type_id is not None:
        data.setdefault("object", ContentType.objects.get_for_id(event.subject_type_id).model)
        data.setdefault("id", event.subject_id)
    payload, body = _body(event_type=event.name, timestamp=event.occurred_at, data=data)
    now = timezone.now()
    deliveries = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                endpoint=endpoint,
                event=event,
                message_id=_new_message_id(),
                event_type=event.name,
                payload=payload,
                body=body,
                next_attempt_at=now,
                created_at=now,
            )
            for endpoint in endpoints
        ]
    )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: webhook_deliveries_enqueue(delivery_ids=ids))
    return ids


def webhook_deliveries_enqueue(*, delivery_ids: list[int], countdown: float = 0) -> None:
    """Hand deliveries to the `webhooks` queue; a broker failure only delays them until the sweeper."""
    from insights.tasks import webhook_deliver

    for delivery_id in delivery_ids:
        try:
            webhook_deliver.apply_async(args=[delivery_id], countdown=countdown or None)
        except Exception:  # the broker is down or unreachable: the row stays due, the sweeper sends it
            logger.warning("Webhook delivery %s not enqueued; the sweeper will send it", delivery_id, exc_info=True)


@transaction.atomic
def webhook_endpoint_send_test(*, endpoint: WebhookEndpoint, actor: User) -> WebhookDelivery:
    """Send a `webhook.test` event to the endpoint now."""
    _require_manager(actor=actor, team=endpoint.team, owner_id=endpoint.owner_id)
    if not endpoint.is_active:
        raise WebhookError(_("Turn the endpoint on before sending it a test event."), code="disabled")
    now = timezone.now()
    payload, body = _body(
        event_type=WEBHOOK_TEST_EVENT, timestamp=now, data={"endpoint_id": endpoint.pk, "message": "Hello!"}
    )
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        message_id=_new_message_id(),
        event_type=WEBHOOK_TEST_EVENT,
        payload=payload,
        body=body,
        next_attempt_at=now,
        created_at=now,
    )
    transaction.on_commit(lambda: webhook_deliveries_enqueue(delivery_ids=[delivery.pk]))
    return delivery


@transaction.atomic
def webhook_delivery_redeliver(*, delivery: WebhookDelivery, actor: User) -> WebhookDelivery:
    """Send a delivery again: a new attempt series with the same `webhook-id` and body."""
    endpoint = delivery.endpoint
    _require_manager(actor=actor, team=endpoint.team, owner_id=endpoint.owner_id)
    if not endpoint.is_active:
        raise WebhookError(_("Turn the endpoint on before redelivering to it."), code="disabled")
    now = timezone.now()
    again = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=delivery.event_id,
        message_id=delivery.message_id,
        event_type=delivery.event_type,
        payload=delivery.payload,
        body=delivery.body,
        redelivery_of=delivery,
        next_attempt_at=now,
        created_at=now,
    )
    transaction.on_commit(lambda: webhook_deliveries_enqueue(delivery_ids=[again.pk]))
    return again


# --- Sending -----------------------------------------------------------------------------------


def _claim(*, delivery_id: int, now: datetime) -> bool:
    return bool(
        WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + timedelta(seconds=TIMEOUT_SECONDS + 15))
    )


def _endpoint_busy(*, delivery_id: int, now: datetime) -> bool:
    """Whether the delivery's endpoint already has its share of attempts in flight (one query)."""
    endpoint = WebhookDelivery.objects.filter(pk=delivery_id).values("endpoint_id")
    in_flight = WebhookDelivery.objects.filter(endpoint_id__in=endpoint, claimed_until__gt=now).exclude(pk=delivery_id)
    return in_flight.count() >= IN_FLIGHT_PER_ENDPOINT


def retry_delay_seconds(*, attempts: int, retry_after: str | None = None, now: datetime | None = None) -> float | None:
    """How long to wait after `attempts` failed attempts, or None when the schedule is used up."""
    if attempts >= len(RETRY_SCHEDULE_SECONDS):
        return None
    delay = RETRY_SCHEDULE_SECONDS[attempts] * random.uniform(1 - RETRY_JITTER, 1 + RETRY_JITTER)
    asked = _retry_after_seconds(retry_after, now=now or timezone.now())
    if asked is not None:
        delay = max(delay, min(asked, RETRY_AFTER_MAX_SECONDS))
    return delay


def _retry_after_seconds(value: str | None, *, now: datetime) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - now).total_seconds())


def _retryable(status: int | None) -> bool:
    return status is None or status == 429 or status >= 500


def webhook_delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> str:
    """Send one due delivery (the task's body). Returns what happened, for logs and tests."""
    now = now or timezone.now()
    if _endpoint_busy(delivery_id=delivery_id, now=now):
        # The endpoint already has its share of workers; one of them takes this delivery next
        # (webhook_deliveries_drain), so a slow endpoint never holds more slots than that.
        return "endpoint-busy"
    if not _claim(delivery_id=delivery_id, now=now):
        return "not-due"
    delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.FAILED,
            error=_("The endpoint is turned off."),
            next_attempt_at=None,
            claimed_until=None,
        )
        return "endpoint-off"
    timestamp = int(timezone.now().timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "VideoCreator-Webhooks/1.0",
        **signed_headers(
            secrets_=endpoint.signing_secrets(now=now),
            message_id=delivery.message_id,
            timestamp=timestamp,
            body=delivery.body,
        ),
    }
    status_code: int | None = None
    retry_after: str | None = None
    response_text, error, duration_ms = "", "", 0
    try:
        response = safe_http.post(endpoint.url, body=delivery.body.encode(), headers=headers, timeout=TIMEOUT_SECONDS)
    except safe_http.UnsafeURL as exc:
        error = str(exc.message)
    except safe_http.RequestFailed as exc:
        error = str(exc)[:500] or _("No answer.")
    else:
        status_code, duration_ms = response.status, response.elapsed_ms
        retry_after = response.headers.get("retry-after")
        response_text = response.body.decode("utf-8", "replace")[:RESPONSE_KEEP_CHARS]
    return _record_outcome(
        delivery=delivery,
        now=now,
        status_code=status_code,
        retry_after=retry_after,
        response_text=response_text,
        error=error,
        duration_ms=duration_ms,
    )


@transaction.atomic
def _record_outcome(
    *,
    delivery: WebhookDelivery,
    now: datetime,
    status_code: int | None,
    retry_after: str | None,
    response_text: str,
    error: str,
    duration_ms: int,
) -> str:
    # The delivery is ours while we hold its claim; the endpoint is locked only when it changes, so
    # the common case (a success on a healthy endpoint) costs one UPDATE.
    endpoint = delivery.endpoint
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.response_status = status_code
    delivery.response_body = response_text
    delivery.duration_ms = duration_ms
    delivery.error = error[:500]
    delivery.claimed_until = None
    succeeded = status_code is not None and 200 <= status_code < 300
    outcome = "succeeded"
    if succeeded:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.SUCCEEDED, None
        if endpoint.failing_since is not None:
            WebhookEndpoint.objects.filter(pk=endpoint.pk).update(failing_since=None, updated_at=now)
    else:
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        delay = retry_delay_seconds(attempts=delivery.attempts, retry_after=retry_after, now=now)
        if status_code == 410 or not _retryable(status_code) or delay is None:
            delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
            outcome = "failed"
        else:
            delivery.next_attempt_at = now + timedelta(seconds=delay)
            outcome = "retry"
            if delay <= COUNTDOWN_MAX_SECONDS:
                transaction.on_commit(lambda: webhook_deliveries_enqueue(delivery_ids=[delivery.pk], countdown=delay))
        if status_code == 410:
            _endpoint_disable(endpoint=endpoint, reason=WebhookEndpoint.DisabledReason.GONE, now=now)
            outcome = "gone"
        else:
            if endpoint.failing_since is None:
                endpoint.failing_since = now
                endpoint.save(update_fields=["failing_since", "updated_at"])
            elif now - endpoint.failing_since >= FAILING_DISABLE_AFTER:
                _endpoint_disable(endpoint=endpoint, reason=WebhookEndpoint.DisabledReason.FAILING, now=now)
                outcome = "disabled"
    delivery.save(
        update_fields=[
            "attempts", "last_attempt_at", "response_status", "response_body", "duration_ms", "error", "claimed_until",
            "status", "next_attempt_at",
        ]
    )  # fmt: skip
    return outcome


def _endpoint_disable(*, endpoint: WebhookEndpoint, reason: str, now: datetime) -> None:
    from teams.notification_kinds import NotificationKind
    from teams.services import notification_send

    if not endpoint.is_active:
        return
    endpoint.is_active, endpoint.disabled_reason, endpoint.disabled_at = False, reason, now
    endpoint.save(update_fields=["is_active", "disabled_reason", "disabled_at", "updated_at"])
    # Its other pending deliveries end here; redeliver them once the endpoint is fixed.
    WebhookDelivery.objects.filter(endpoint=endpoint, status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.FAILED, next_attempt_at=None, error=_("The endpoint was turned off.")
    )
    notification_send(
        recipient=endpoint.owner,
        kind=NotificationKind.WEBHOOK_DISABLED,
        params={"url": endpoint.url},
        target_url=reverse("webhook-endpoint-detail", args=[endpoint.pk]),
        email=True,
    )


def webhook_deliveries_drain(*, delivery_id: int) -> int:
    """The task's body: send this delivery, then the endpoint's other due ones, for a while.

    Returns how many were attempted. What is left when the time is up goes to the next task.
    """
    started = time.monotonic()
    attempted = 0
    outcome = webhook_delivery_attempt(delivery_id=delivery_id)
    if outcome in ("not-due", "endpoint-busy"):
        return attempted
    attempted += 1
    endpoint_id = WebhookDelivery.objects.filter(pk=delivery_id).values_list("endpoint_id", flat=True).first()
    while endpoint_id is not None:
        now = timezone.now()
        next_id = (
            WebhookDelivery.objects.filter(
                endpoint_id=endpoint_id, status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now
            )
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)
            .first()
        )
        if next_id is None:
            break
        if time.monotonic() - started > DRAIN_SECONDS:
            webhook_deliveries_enqueue(delivery_ids=[next_id])  # a fresh task carries on
            break
        if webhook_delivery_attempt(delivery_id=next_id) in ("not-due", "endpoint-busy"):
            break
        attempted += 1
    return attempted


def webhook_deliveries_requeue_due(*, now: datetime | None = None) -> int:
    """The outbox sweep: enqueue due deliveries that no worker holds (lost on the way, or retries)."""
    now = now or timezone.now()
    ids = list(
        WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    webhook_deliveries_enqueue(delivery_ids=ids)
    return len(ids)
