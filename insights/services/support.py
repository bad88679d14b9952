"""Support inbox writes: a person's request (with an optional screenshot through the one media
check), replies on its thread, and staff triage (status, assignee). Staff replies are e-mailed to
the person in their language; the whole thread stays on their "my requests" page."""

import secrets

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import DomainError
from config.throttling import person_rate_count
from insights.event_names import EventName
from insights.events import record_event
from insights.support_models import SupportMessage, SupportRequest
from teams.models import User
from teams.services.emails import email_queue
from videos.media import accepted_image_upload, delete_from_storage, save_to_storage

SCREENSHOT_MAX_MB = 5
MESSAGE_MAX_CHARS = 5000


def screenshot_too_large() -> DomainError:
    return DomainError(
        _("A screenshot can be at most %(size)d MB.") % {"size": SCREENSHOT_MAX_MB},
        code="too_large",
        field="screenshot",
    )


def _store_screenshot(*, upload: UploadedFile, user: User) -> str:
    """Check a screenshot with the one media check (PNG, JPEG or WebP, by its bytes) and store it."""
    if (upload.size or 0) > SCREENSHOT_MAX_MB * 1024 * 1024:
        raise screenshot_too_large()
    with accepted_image_upload(upload, field="screenshot") as checked:
        return save_to_storage(
            checked.path,
            f"support/user-{user.pk}/{secrets.token_hex(8)}{checked.extension}",
            content_type=checked.content_type,
        )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if len(body) < 10:
        raise DomainError(_("Tell us a little more (at least 10 characters)."), code="message_short", field="message")
    return body[:MESSAGE_MAX_CHARS]


def support_request_create(
    *,
    user: User,
    category: str,
    subject: str,
    message: str,
    screenshot: UploadedFile | None = None,
    page_url: str = "",
) -> SupportRequest:
    """Open a support request with its first message; the screenshot is checked and stored first."""
    if category not in SupportRequest.Category.values:
        raise DomainError(_("Choose a category."), code="category_invalid", field="category")
    subject = " ".join((subject or "").split())
    if len(subject) < 3:
        raise DomainError(_("Give your request a short subject."), code="subject_short", field="subject")
    body = _clean_body(message)
    person_rate_count(scope="support", person_id=user.pk)
    stored = _store_screenshot(upload=screenshot, user=user) if screenshot else ""
    try:
        with transaction.atomic():
            now = timezone.now()
            request = SupportRequest.objects.create(
                user=user,
                category=category,
                subject=subject[:140],
                screenshot=stored,
                page_url=(page_url or "")[:300] if (page_url or "").startswith("/") else "",
                created_at=now,
                updated_at=now,
            )
            SupportMessage.objects.create(request=request, author=user, body=body, created_at=now)
            record_event(name=EventName.SUPPORT_REQUESTED, actor=user, subject=request, payload={"category": category})
    except BaseException:
        if stored:
            delete_from_storage([stored])  # storage is not transactional
        raise
    return request


@transaction.atomic
def support_reply_from_user(*, request: SupportRequest, user: User, body: str) -> SupportMessage:
    """The person adds to their own thread (the request comes from support_request_get_for_user); it reopens."""
    if request.user_id != user.pk:
        raise DomainError(_("You can only reply to your own requests."), code="forbidden")
    body = _clean_body(body)
    person_rate_count(scope="support", person_id=user.pk)
    now = timezone.now()
    message = SupportMessage.objects.create(request=request, author=user, body=body, created_at=now)
    request.status = SupportRequest.Status.OPEN
    request.updated_at = now
    request.save(update_fields=["status", "updated_at"])
    return message


@transaction.atomic
def support_reply_from_staff(*, request: SupportRequest, actor: User, body: str) -> SupportMessage:
    """Staff answer on the thread; the person gets it by e-mail in their language and the request waits for them."""
    if not actor.is_staff:
        raise DomainError(_("Only staff can answer support requests."), code="forbidden")
    body = _clean_body(body)
    now = timezone.now()
    message = SupportMessage.objects.create(request=request, author=actor, from_staff=True, body=body, created_at=now)
    if request.status in (SupportRequest.Status.OPEN, SupportRequest.Status.IN_PROGRESS):
        request.status = SupportRequest.Status.WAITING
    if request.assignee_id is None:
        request.assignee = actor
    request.updated_at = now
    request.save(update_fields=["status", "assignee", "updated_at"])
    person = request.user
    email_queue(
        to=person.email,
        template="insights/email/support_reply",
        context={
            "user": person,
            "request": request,
            "reply": body,
            "staff_name": actor.name,
            "thread_url": settings.SITE_URL.rstrip("/") + reverse("support-detail", args=[request.pk]),
        },
        language=person.language,
    )
    record_event(name=EventName.SUPPORT_REPLIED, actor=actor, subject=request)
    return message


@transaction.atomic
def support_request_triage(
    *, request: SupportRequest, actor: User, status: str, assignee: User | None
) -> SupportRequest:
    """Staff set a request's status and who handles it."""
    if not actor.is_staff:
        raise DomainError(_("Only staff can triage support requests."), code="forbidden")
    if status not in SupportRequest.Status.values:
        raise DomainError(_("Choose a status."), code="status_invalid", field="status")
    if assignee is not None and not assignee.is_staff:
        raise DomainError(_("Requests can only be assigned to staff."), code="assignee_invalid", field="assignee")
    changed = []
    if request.status != status:
        request.status = status
        changed.append("status")
    if request.assignee_id != (assignee.pk if assignee else None):
        request.assignee = assignee
        changed.append("assignee")
    if changed:
        request.updated_at = timezone.now()
        request.save(update_fields=[*changed, "updated_at"])
    return request


@transaction.atomic
def support_requests_delete_for(*, user: User) -> int:
    """Delete a person's support requests (their account is going); screenshots leave storage on commit."""
    requests = SupportRequest.objects.filter(user=user)
    names = [name for name in requests.values_list("screenshot", flat=True) if name]
    count = requests.count()
    requests.delete()
    if names:
        transaction.on_commit(lambda: delete_from_storage(names))
    return count
