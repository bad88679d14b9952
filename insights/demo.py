"""A demo webhook endpoint with a short delivery history, so `make run` shows the webhook pages."""

import json
import uuid
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from config.safe_http import UnsafeURL
from insights.event_names import EventName
from insights.models import WebhookDelivery
from insights.services import webhook_endpoint_create
from teams.models import User

# Nothing listens there by default: run any local receiver on port 9999 to watch deliveries arrive.
DEMO_URL = "http://127.0.0.1:9999/video-creator-webhooks"
# (event type, status, response code, duration ms, attempts, minutes ago)
DEMO_HISTORY = [
    (EventName.VIDEO_CREATED, WebhookDelivery.Status.SUCCEEDED, 200, 84, 1, 180),
    (EventName.VIDEO_RENDERED, WebhookDelivery.Status.SUCCEEDED, 200, 132, 1, 170),
    (EventName.VIDEO_CREATED, WebhookDelivery.Status.SUCCEEDED, 200, 95, 2, 90),
    (EventName.VIDEO_RENDERED, WebhookDelivery.Status.FAILED, 400, 41, 1, 60),
    (EventName.VIDEO_DELETED, WebhookDelivery.Status.PENDING, 503, 2011, 2, 5),
]


def load(*, creator: User, staff: User) -> None:
    """Give the demo creator one endpoint and a few deliveries to it (once)."""
    if creator.webhook_endpoints.exists() or not getattr(settings, "SAFE_HTTP_ALLOW_LOOPBACK", False):
        return
    try:
        endpoint, _secret = webhook_endpoint_create(
            actor=creator,
            team=None,
            url=DEMO_URL,
            event_types=[EventName.VIDEO_CREATED, EventName.VIDEO_RENDERED, EventName.VIDEO_DELETED],
            description="Demo receiver (start one on port 9999)",
        )
    except UnsafeURL:
        return
    now = timezone.now()
    rows = []
    for n, (event_type, status, code, duration, attempts, minutes_ago) in enumerate(DEMO_HISTORY):
        at = now - timedelta(minutes=minutes_ago)
        payload = {
            "type": str(event_type),
            "timestamp": at.isoformat().replace("+00:00", "Z"),
            "data": {"video_id": 1000 + n, "title": f"Demo video {n + 1}"},
        }
        rows.append(
            WebhookDelivery(
                endpoint=endpoint,
                message_id=f"msg_{uuid.uuid4().hex}",
                event_type=str(event_type),
                payload=payload,
                body=json.dumps(payload, separators=(",", ":"), sort_keys=True),
                status=status,
                attempts=attempts,
                response_status=code,
                duration_ms=duration,
                last_attempt_at=at,
                # The pending one waits for its next retry, in half an hour.
                next_attempt_at=now + timedelta(minutes=30) if status == WebhookDelivery.Status.PENDING else None,
                created_at=at,
            )
        )
    WebhookDelivery.objects.bulk_create(rows)
