"""Web push: browsers subscribe, notifications are pushed to them, and the service worker reports back.

`notification_send` calls `push_deliveries_create` for a kind the person wants pushed: one
`PushDelivery` per browser, written in the notification's transaction and handed to the
`teams.push_deliver` task once it commits. The task claims its row with one conditional UPDATE
(so a duplicate task sends nothing), encrypts the payload for that browser (RFC 8291, aes128gcm),
signs it with our VAPID key (RFC 8292) and posts it through the SSRF-guarded client: the endpoint
URL comes from the browser, so from the user. A 404 or 410 from the push service means the browser
is gone: its subscription is deleted. 429, 5xx and no answer are retried with backoff.

Each payload carries a signed token; the service worker posts it back when it shows the
notification and when it is clicked, so staff see sent → shown → clicked per kind.
"""

import binascii
import json
import logging
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pywebpush import WebPushException, webpush

from config import safe_http
from config.errors import DomainError
from config.throttling import person_rate_count
from teams.models import PushDelivery, PushSubscription, User
from teams.notification_kinds import NotificationKind
from teams.notifications import PUSHABLE_KINDS, notification_text
from teams.push_keys import b64url_decode, push_enabled, vapid_keys
from teams.push_models import endpoint_digest

logger = logging.getLogger(__name__)

BEACON_SALT = "teams.push-beacon"
BEACON_MAX_AGE = timedelta(days=30)
MAX_SUBSCRIPTIONS_PER_USER = 20
CLAIM_SECONDS = 60
# How long a push service keeps a message for a browser that is offline, and how urgently it
# wakes a phone for it (RFC 8030 §5.2 and §5.3). A render or a mention is stale after a day;
# a promotion may wait and must not drain a battery.
DELIVERY_OPTIONS: dict[str, tuple[int, str]] = {
    NotificationKind.MENTION: (24 * 3600, "normal"),
    NotificationKind.RENDER_FINISHED: (6 * 3600, "normal"),
    NotificationKind.EXPORT_READY: (24 * 3600, "normal"),
    NotificationKind.PUBLISH_RESULT: (24 * 3600, "normal"),
    NotificationKind.PROMOTIONS: (3 * 24 * 3600, "low"),
}
DEFAULT_OPTIONS = (24 * 3600, "normal")


class PushError(DomainError):
    pass


class PushTransient(Exception):
    """The push service did not take the message now (429, 5xx, no answer): try again later."""


# --- Subscriptions -------------------------------------------------------------------------


def _check_keys(*, p256dh: str, auth: str) -> None:
    # What the browser sends: its P-256 public key as an uncompressed point, and a 16-byte secret.
    try:
        point = b64url_decode(p256dh)
        secret = b64url_decode(auth)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise PushError(_("The browser's subscription keys are not valid."), field="keys") from exc
    if len(point) != 65 or len(secret) != 16:
        raise PushError(_("The browser's subscription keys are not valid."), field="keys")


@transaction.atomic
def push_subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = ""
) -> PushSubscription:
    """Register (or refresh) this browser's subscription for the person; counts against `push_subscriptions`."""
    if not push_enabled():
        raise PushError(_("Browser notifications are not available on this site."), code="disabled")
    person_rate_count(scope="push_subscriptions", person_id=user.pk)
    endpoint = safe_http.url_check(endpoint)
    _check_keys(p256dh=p256dh, auth=auth)
    subscription, _created = PushSubscription.objects.select_for_update().get_or_create(
        endpoint_hash=endpoint_digest(endpoint), defaults={"user": user, "endpoint": endpoint}
    )
    # A browser belongs to whoever subscribed it last (someone else signed in on it).
    subscription.user = user
    subscription.endpoint = endpoint
    subscription.user_agent = user_agent[:200]
    subscription.set_keys(p256dh=p256dh, auth=auth)
    subscription.save()
    # Browsers renew their endpoints now and then; past the cap the oldest ones go.
    stale = PushSubscription.objects.filter(user=user).order_by("-created_at", "-id")[MAX_SUBSCRIPTIONS_PER_USER:]
    PushSubscription.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    return subscription


@transaction.atomic
def push_subscription_delete(*, subscription: PushSubscription, actor: User) -> None:
    """Forget a browser (from `teams.permissions.push_subscription_get_for_user`, or staff's console).
    The owner's own removals count against `push_subscriptions`."""
    if actor.pk == subscription.user_id:
        person_rate_count(scope="push_subscriptions", person_id=actor.pk)
    subscription.delete()


# --- Deliveries ----------------------------------------------------------------------------


def push_deliveries_create(*, user: User, kind: str, params: dict[str, Any], target_url: str) -> list[int]:
    """One delivery per browser of the person, in the caller's transaction; sent once it commits."""
    if kind not in PUSHABLE_KINDS or not push_enabled():
        return []
    subscription_ids = list(PushSubscription.objects.filter(user=user).values_list("pk", flat=True))
    if not subscription_ids:
        return []
    now = timezone.now()
    deliveries = PushDelivery.objects.bulk_create(
        [
            PushDelivery(user=user, subscription_id=pk, kind=kind, params=params, target_url=target_url, created_at=now)
            for pk in subscription_ids
        ]
    )
    ids = [delivery.pk for delivery in deliveries]
    transaction.on_commit(lambda: push_deliveries_enqueue(delivery_ids=ids))
    return ids


def push_deliveries_enqueue(*, delivery_ids: list[int]) -> None:
    """Hand deliveries to the workers; a broker failure leaves them pending (and logged)."""
    from teams.tasks import push_deliver

    for delivery_id in delivery_ids:
        try:
            push_deliver.delay(delivery_id)
        except Exception:  # the broker is down: the push is lost, the notification itself is not
            logger.warning("Push delivery %s not enqueued", delivery_id, exc_info=True)


def push_token_for(*, delivery_id: int) -> str:
    """The signed token a payload carries, so the service worker's reports need no session."""
    return signing.dumps(delivery_id, salt=BEACON_SALT, compress=False)


def _payload(delivery: PushDelivery) -> dict[str, Any]:
    user = delivery.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = notification_text(kind=delivery.kind, params=delivery.params)
        title = str(gettext_lazy("Video Creator"))
    # A path of ours; the service worker opens it on our own origin only.
    url = delivery.target_url if delivery.target_url.startswith("/") else reverse("notification_list")
    return {
        "title": title,
        "body": body,
        "url": url,
        "kind": delivery.kind,
        "tag": f"{delivery.kind}-{delivery.pk}",
        "token": push_token_for(delivery_id=delivery.pk),
    }


class _SafeSession:
    """What pywebpush asks of a `requests.Session` (`post`), answered by the SSRF-guarded client."""

    def post(self, url: str, data: bytes | None = None, headers: Any = None, timeout: float | None = None) -> Any:
        response = safe_http.post(
            url,
            body=data or b"",
            headers={"Content-Type": "application/octet-stream", **{k: str(v) for k, v in (headers or {}).items()}},
            timeout=timeout or settings.WEB_PUSH_TIMEOUT_SECONDS,
        )
        return _Response(response)


class _Response:
    def __init__(self, response: safe_http.SafeResponse) -> None:
        self.status_code = response.status
        self.reason = ""
        self.headers = response.headers
        self.text = response.body.decode("utf-8", "replace")


def _claim(*, delivery_id: int) -> bool:
    now = timezone.now()
    return bool(
        PushDelivery.objects.filter(pk=delivery_id, status=PushDelivery.Status.PENDING)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1)
    )


def _settle(delivery_id: int, *, status: str, response_status: int | None = None, error: str = "") -> None:
    fields: dict[str, Any] = {"status": status, "claimed_until": None, "response_status": response_status}
    fields["error"] = error[:500]
    if status == PushDelivery.Status.SENT:
        fields["sent_at"] = timezone.now()
    PushDelivery.objects.filter(pk=delivery_id).update(**fields)


def push_delivery_attempt(*, delivery_id: int, last_try: bool = False) -> str:
    """Send one pending delivery (the task's body); returns what happened, for logs and tests.

    Raises PushTransient for an answer worth retrying, unless `last_try`, when the delivery fails.
    """
    if not _claim(delivery_id=delivery_id):
        return "not-due"
    delivery = PushDelivery.objects.select_related("user", "subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    if subscription is None or not delivery.user.is_active:
        reason = "The browser is no longer subscribed." if subscription is None else "The account is deactivated."
        _settle(delivery_id, status=PushDelivery.Status.FAILED, error=reason)
        return "no-subscription"
    keys = vapid_keys()
    ttl, urgency = DELIVERY_OPTIONS.get(delivery.kind, DEFAULT_OPTIONS)
    status_code: int | None = None
    try:
        response = webpush(
            subscription_info=subscription.subscription_info(),
            data=json.dumps(_payload(delivery), separators=(",", ":")),
            vapid_private_key=keys.signer(),
            vapid_claims={"sub": keys.subject},
            ttl=ttl,
            headers={"Urgency": urgency},
            timeout=settings.WEB_PUSH_TIMEOUT_SECONDS,
            requests_session=_SafeSession(),  # type: ignore[arg-type] (duck-typed: it only calls .post)
        )
        status_code = response.status_code  # type: ignore[union-attr]
    except WebPushException as exc:
        status_code = exc.status_code
        error = f"{status_code}: {(exc.response.text if exc.response is not None else exc.message)[:400]}"
        if status_code in (404, 410):
            # The push service forgot this browser (unsubscribed, expired): so do we.
            PushSubscription.objects.filter(pk=subscription.pk).delete()
            _settle(delivery_id, status=PushDelivery.Status.GONE, response_status=status_code, error=error)
            return "gone"
        if status_code is not None and status_code != 429 and status_code < 500:
            _settle(delivery_id, status=PushDelivery.Status.FAILED, response_status=status_code, error=error)
            return "failed"
        return _transient(delivery_id, last_try=last_try, response_status=status_code, error=error)
    except safe_http.UnsafeURL as exc:
        _settle(delivery_id, status=PushDelivery.Status.FAILED, error=str(exc.message))
        return "failed"
    except safe_http.RequestFailed as exc:
        return _transient(delivery_id, last_try=last_try, response_status=None, error=str(exc) or "No answer.")
    _settle(delivery_id, status=PushDelivery.Status.SENT, response_status=status_code)
    PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=timezone.now())
    return "sent"


def _transient(delivery_id: int, *, last_try: bool, response_status: int | None, error: str) -> str:
    if last_try:
        _settle(delivery_id, status=PushDelivery.Status.FAILED, response_status=response_status, error=error)
        return "failed"
    # Released for the retry, which claims it again.
    PushDelivery.objects.filter(pk=delivery_id).update(
        claimed_until=None, response_status=response_status, error=error[:500]
    )
    raise PushTransient(error)


LOST_AFTER = timedelta(minutes=2)
EXPIRE_AFTER = timedelta(days=3)  # the longest TTL above: past it no push service would keep it
SWEEP_BATCH = 500


def push_deliveries_requeue_stale(*, now: datetime | None = None) -> tuple[int, int]:
    """The beat sweep: enqueue deliveries never attempted (lost on the way to the broker) and fail
    the ones still pending past the longest TTL. Returns (requeued, expired)."""
    now = now or timezone.now()
    unclaimed = Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    pending = PushDelivery.objects.filter(status=PushDelivery.Status.PENDING)
    expired = pending.filter(unclaimed, created_at__lt=now - EXPIRE_AFTER).update(
        status=PushDelivery.Status.FAILED, error="Expired before it could be delivered.", claimed_until=None
    )
    # Retries wait in the broker with their backoff; only never-attempted rows are lost ones.
    lost = list(
        pending.filter(unclaimed, attempts=0, created_at__lt=now - LOST_AFTER)
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    push_deliveries_enqueue(delivery_ids=lost)
    return len(lost), expired


# --- What the service worker reports ----------------------------------------------------------

BEACON_EVENTS = ("shown", "clicked")


@transaction.atomic
def push_beacon_record(*, token: str, event: str) -> PushDelivery:
    """Record that a pushed notification was shown or clicked; `token` is the payload's signed token.

    Idempotent: the first report of each counts. A click implies it was shown.
    """
    if event not in BEACON_EVENTS:
        raise PushError(_("Unknown report."), field="event")
    try:
        delivery_id = int(signing.loads(token, salt=BEACON_SALT, max_age=BEACON_MAX_AGE))
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise PushError(_("This report is not signed by us."), code="bad_signature", field="token") from exc
    delivery = PushDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        raise PushError(_("This report is not signed by us."), code="bad_signature", field="token")
    now = timezone.now()
    PushDelivery.objects.filter(pk=delivery_id, shown_at=None).update(shown_at=now)
    if event == "clicked":
        PushDelivery.objects.filter(pk=delivery_id, clicked_at=None).update(clicked_at=now)
    delivery.refresh_from_db(fields=["shown_at", "clicked_at"])
    return delivery
