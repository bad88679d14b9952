"""The one way to send an e-mail: render a template pair in the recipient's language, queue it in
the outbox, and send it from a worker exactly once.

A template is named by its prefix, as allauth names its own: `<template>_subject.txt`,
`<template>_message.txt` (both with `{% autoescape off %}`: they are plain text) and, optionally,
`<template>_message.html`. Without an HTML template the text is laid into `email/layout.html`
(links made clickable), so every mail has both parts.

The outbox row holds the content encrypted while the mail waits and erases it once sent: reset
links and invitation tokens must not outlive their delivery in the database or the admin.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation

from config.celery import TransientError
from teams.encryption import InvalidToken
from teams.models import OutboundEmail

logger = logging.getLogger(__name__)

# A queued e-mail older than this was lost on its way to the broker and is enqueued again.
STALE_QUEUED_AFTER = timedelta(minutes=10)
MAX_SEND_ATTEMPTS = 6
# Longer than any link a mail carries lives (password reset: 3 days, invitation: 7): by then a
# mail that could not be sent is not worth re-sending, and its content is erased.
UNSENT_CONTENT_KEPT_FOR = timedelta(days=7)
SUBJECT_MAX_LENGTH = OutboundEmail._meta.get_field("subject").max_length
MARKETING_HEADERS = {"List-Unsubscribe", "List-Unsubscribe-Post"}


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def email_render(*, template: str, context: dict[str, Any], language: str | None) -> RenderedEmail:
    """Render the template pair named `template` in `language` (the site's default when empty)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).splitlines()).strip()
        text = render_to_string(f"{template}_message.txt", context).strip()
        try:
            html = render_to_string(f"{template}_message.html", context)
        except TemplateDoesNotExist:
            html = render_to_string("email/layout.html", {"subject": subject, "text": text})
    return RenderedEmail(subject=subject, text=text, html=html)


@transaction.atomic
def email_queue(
    *,
    to: str | Sequence[str],
    template: str,
    context: dict[str, Any],
    language: str | None,
    subject_prefix: str = "",
    headers: dict[str, str] | None = None,
    category: str = "",
) -> OutboundEmail:
    """Render `template` in `language` for `to`, store it encrypted, and have a worker send it
    once the transaction commits.

    `category` marks marketing mail (growth's e-mail categories); such a mail must carry the RFC 8058
    one-click unsubscribe headers. Transactional mail (verification, invitations, exports, receipts)
    has no category and is never held back by a person's marketing choices."""
    from teams.tasks import email_send

    if category and not set(headers or {}) >= MARKETING_HEADERS:
        raise ValueError(f"Marketing e-mail ({category}) needs the {sorted(MARKETING_HEADERS)} headers.")

    rendered = email_render(template=template, context=context, language=language)
    outbound = OutboundEmail(
        to=[to] if isinstance(to, str) else list(to),
        from_email=settings.DEFAULT_FROM_EMAIL,
        subject=(subject_prefix + rendered.subject)[:SUBJECT_MAX_LENGTH],
        kind=template,
    )
    outbound.seal(text=rendered.text, html=rendered.html, headers=headers)
    outbound.save()
    transaction.on_commit(lambda: email_send.delay(outbound.pk))
    return outbound


def _message_for(outbound: OutboundEmail) -> EmailMultiAlternatives:
    content = outbound.unseal()
    message = EmailMultiAlternatives(
        subject=outbound.subject,
        body=content["text"],
        from_email=outbound.from_email,
        to=outbound.to,
        headers=content["headers"],
        connection=get_connection(),
    )
    if content["html"]:
        message.attach_alternative(content["html"], "text/html")
    return message


def email_deliver(*, email_id: int) -> OutboundEmail | None:
    """Send a queued e-mail exactly once, then erase its content; a second call does nothing."""
    error: Exception | None = None
    with transaction.atomic():
        # The row lock makes two workers that got the same message take turns.
        outbound = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if outbound is None or outbound.status != OutboundEmail.Status.QUEUED:
            return outbound
        outbound.attempts += 1
        try:
            message = _message_for(outbound)
        except InvalidToken:
            # Sealed under a secret key that is no longer configured: no retry can help.
            logger.error("E-mail %s cannot be decrypted with the configured secret keys", email_id)
            outbound.status = OutboundEmail.Status.FAILED
            outbound.last_error = "The content cannot be decrypted with the configured secret keys."
            outbound.sealed_content = ""
            outbound.save(update_fields=["attempts", "status", "last_error", "sealed_content"])
            return outbound
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
            outbound.sealed_content = ""  # the links inside must not outlive the delivery
        outbound.save(update_fields=["attempts", "status", "sent_at", "last_error", "sealed_content"])
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


def emails_erase_abandoned(*, now: datetime | None = None) -> int:
    """Erase the content of failed e-mails older than UNSENT_CONTENT_KEPT_FOR; returns how many."""
    cutoff = (now or timezone.now()) - UNSENT_CONTENT_KEPT_FOR
    return (
        OutboundEmail.objects.filter(status=OutboundEmail.Status.FAILED, created_at__lt=cutoff)
        .exclude(sealed_content="")
        .update(sealed_content="")
    )


@transaction.atomic
def emails_resend_failed(*, email_ids: list[int]) -> int:
    """Give failed e-mails among `email_ids` that still have their content a fresh set of
    attempts; returns how many."""
    from teams.tasks import email_send

    failed = list(
        OutboundEmail.objects.select_for_update()
        .filter(pk__in=email_ids, status=OutboundEmail.Status.FAILED)
        .exclude(sealed_content="")
        .values_list("pk", flat=True)
    )
    OutboundEmail.objects.filter(pk__in=failed).update(status=OutboundEmail.Status.QUEUED, attempts=0)
    for email_id in failed:
        transaction.on_commit(lambda email_id=email_id: email_send.delay(email_id))
    return len(failed)
