"""Accounts and their mail: profile preferences, API tokens, and the outbound e-mail queue."""

import logging
from datetime import datetime, timedelta

from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from config.celery import TransientError
from insights.events import EventName, record_event
from teams.models import OutboundEmail, User

logger = logging.getLogger(__name__)

# A queued e-mail older than this was lost on its way to the broker and is enqueued again.
STALE_QUEUED_AFTER = timedelta(minutes=10)
MAX_SEND_ATTEMPTS = 6


@transaction.atomic
def user_update_preferences(
    *,
    user: User,
    display_name: str | None = None,
    language: str | None = None,
    time_zone: str | None = None,
) -> User:
    """Save the profile fields a person edits about themselves; validates before writing."""
    changed = []
    for field, value in (("display_name", display_name), ("language", language), ("time_zone", time_zone)):
        if value is not None and getattr(user, field) != value:
            setattr(user, field, value)
            changed.append(field)
    if changed:
        user.full_clean(exclude=["password", "email"])
        user.save(update_fields=changed)
        record_event(name=EventName.USER_PROFILE_UPDATED, actor=user, subject=user, payload={"fields": changed})
    return user


@transaction.atomic
def email_queue(*, message: EmailMessage, kind: str = "") -> OutboundEmail:
    """Store a rendered message and send it from a worker once the transaction commits."""
    from teams.tasks import email_send

    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"), "")
    outbound = OutboundEmail.objects.create(
        to=list(message.to),
        from_email=message.from_email,
        subject=message.subject,
        body=message.body,
        html_body=html,
        headers=dict(message.extra_headers),
        kind=kind,
    )
    transaction.on_commit(lambda: email_send.delay(outbound.pk))
    return outbound


def email_deliver(*, email_id: int) -> OutboundEmail | None:
    """Send a queued e-mail exactly once; a second call for the same e-mail does nothing."""
    error: Exception | None = None
    with transaction.atomic():
        # The row lock makes two workers that got the same message take turns.
        outbound = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if outbound is None or outbound.status != OutboundEmail.Status.QUEUED:
            return outbound
        outbound.attempts += 1
        message = EmailMultiAlternatives(
            subject=outbound.subject,
            body=outbound.body,
            from_email=outbound.from_email,
            to=outbound.to,
            headers=outbound.headers,
            connection=get_connection(),
        )
        if outbound.html_body:
            message.attach_alternative(outbound.html_body, "text/html")
        try:
            message.send()
        except Exception as exc:  # any transport failure is recorded, then retried
            error = exc
            outbound.last_error = f"{type(exc).__name__}: {exc}"
            if outbound.attempts >= MAX_SEND_ATTEMPTS:
                outbound.status = OutboundEmail.Status.FAILED
        else:
            outbound.status = OutboundEmail.Status.SENT
            outbound.sent_at = timezone.now()
            outbound.last_error = ""
        outbound.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    if error is not None and outbound.status == OutboundEmail.Status.QUEUED:
        logger.warning("E-mail %s not sent (attempt %s): %s", email_id, outbound.attempts, error)
        raise TransientError(outbound.last_error) from error
    return outbound


def emails_requeue_stale(*, now: datetime | None = None) -> int:
    """Enqueue again every e-mail still queued long after it was stored; returns how many."""
    from teams.tasks import email_send

    cutoff = (now or timezone.now()) - STALE_QUEUED_AFTER
    ids = list(
        OutboundEmail.objects.filter(status=OutboundEmail.Status.QUEUED, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
    for email_id in ids:
        email_send.delay(email_id)
    return len(ids)


@transaction.atomic
def api_token_rotate(*, user: User) -> Token:
    """Replace the user's API token with a fresh one, revoking the old one."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def emails_resend_failed(*, email_ids: list[int]) -> int:
    """Give failed e-mails among `email_ids` a fresh set of attempts; returns how many."""
    from teams.tasks import email_send

    failed = list(
        OutboundEmail.objects.select_for_update()
        .filter(pk__in=email_ids, status=OutboundEmail.Status.FAILED)
        .values_list("pk", flat=True)
    )
    OutboundEmail.objects.filter(pk__in=failed).update(status=OutboundEmail.Status.QUEUED, attempts=0)
    for email_id in failed:
        transaction.on_commit(lambda email_id=email_id: email_send.delay(email_id))
    return len(failed)


@transaction.atomic
def user_destroy(*, user: User, actor: User | None) -> None:
    """Delete an account and every video it owns, stored files included (no permission check)."""
    from videos.models import Video
    from videos.services import video_destroy

    # The database would cascade to the videos but leave their files in storage.
    for video in Video.objects.filter(owner=user).select_related("template"):
        video_destroy(video=video, actor=actor)
    user.delete()
