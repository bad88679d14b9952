"""Review comments on videos: write, edit, delete, resolve, and notify the people mentioned.

Who may do each is decided in `teams.permissions.comment_get_for_user` (and, for a new comment,
`teams.permissions.comment_target_get_for_user`): the services take the object that check returned.
"""

import re
import unicodedata
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from insights.event_names import EventName
from insights.events import record_event
from teams.comment_targets import CommentTarget
from teams.mentions import mentioned_users
from teams.models import Comment, User
from teams.notification_kinds import NotificationKind
from teams.selectors import comment_mention_candidates

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n{3,}")


def comment_clean_body(body: str) -> str:
    """Plain text from whatever was typed: tags stripped, control characters dropped, whitespace tidied.

    Stripping runs until nothing changes, so nested tricks such as `<scr<script>ipt>` do not
    reassemble into a tag. What remains is stored as text and escaped wherever it is shown.
    """
    text = unicodedata.normalize("NFC", str(body or "")).replace("\r\n", "\n").replace("\r", "\n")
    while True:
        stripped = strip_tags(text)
        if stripped == text:
            break
        text = stripped
    text = _CONTROL.sub("", text)
    text = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in text.split("\n"))).strip()
    if not text:
        raise DomainError(_("Write a comment first."), field="body")
    if len(text) > Comment.BODY_MAX_LENGTH:
        raise DomainError(_("Keep comments under %(max)d characters.") % {"max": Comment.BODY_MAX_LENGTH}, field="body")
    return text


def _validated_timestamp(*, video: CommentTarget, timestamp_seconds: Any) -> float:
    try:
        value = round(float(timestamp_seconds), 3)
        if value != value or value in (float("inf"), float("-inf")):  # NaN compares unequal to itself
            raise ValueError
    except (TypeError, ValueError):
        raise DomainError(_("The timestamp must be a number of seconds."), field="timestamp_seconds") from None
    if value < 0:
        raise DomainError(_("The timestamp cannot be negative."), field="timestamp_seconds")
    duration = video.duration_seconds
    if duration is not None and value > duration + 0.001:
        raise DomainError(
            _("The timestamp is after the end of the video (%(duration)s s).") % {"duration": f"{duration:g}"},
            field="timestamp_seconds",
        )
    return value


def _notify_mentions(*, comment: Comment, users: list[User]) -> None:
    recipients = [user for user in users if user.pk != comment.author_id and user.is_active]
    if not recipients:
        return
    params = {"actor": comment.author.name, "video": comment.video.title}
    target_url = reverse("videos:detail", args=[comment.video_id]) + f"#comment-{comment.pk}"

    def send() -> None:
        from teams.services.notifications import notification_send

        for user in recipients:
            notification_send(recipient=user, kind=NotificationKind.MENTION, params=params, target_url=target_url)

    transaction.on_commit(send)


@transaction.atomic
def comment_create(
    *,
    video: CommentTarget,
    author: User,
    body: str,
    timestamp_seconds: float | str | None = None,
    parent_id: int | None = None,
) -> Comment:
    """Comment on a video at a moment of it, or reply to a thread; notify the members mentioned.

    `video` comes from `teams.permissions.comment_target_get_for_user(action=Action.COMMENT)`.
    """
    text = comment_clean_body(body)
    parent = None
    if parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, video=video).select_related("parent").first()
        if parent is None:
            raise DomainError(_("The comment you reply to no longer exists."), field="parent")
        # One level of threads: a reply to a reply joins the thread of the first comment.
        parent = parent.parent or parent
        if timestamp_seconds in (None, ""):
            timestamp_seconds = parent.timestamp_seconds
    if timestamp_seconds in (None, ""):
        timestamp_seconds = 0
    comment = Comment.objects.create(
        video=video,
        author=author,
        parent=parent,
        body=text,
        timestamp_seconds=_validated_timestamp(video=video, timestamp_seconds=timestamp_seconds),
        created_at=timezone.now(),
    )
    mentioned = mentioned_users(text, candidates=comment_mention_candidates(video=video))
    comment.mentions.set(mentioned)
    record_event(
        name=EventName.COMMENT_CREATED,
        actor=author,
        subject=comment,
        payload={
            "video_id": video.pk,
            "team_id": video.team_id,
            "is_reply": parent is not None,
            "mentions": len(mentioned),
        },
    )
    _notify_mentions(comment=comment, users=mentioned)
    return comment


@transaction.atomic
def comment_update(*, comment: Comment, body: str) -> Comment:
    """Change a comment's text; newly mentioned members are notified.

    `comment` comes from `teams.permissions.comment_get_for_user(action=Action.EDIT)` (its author).
    """
    text = comment_clean_body(body)
    if text == comment.body:
        return comment
    before = set(comment.mentions.values_list("pk", flat=True))
    comment.body = text
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    mentioned = mentioned_users(text, candidates=comment_mention_candidates(video=comment.video))
    comment.mentions.set(mentioned)
    _notify_mentions(comment=comment, users=[u for u in mentioned if u.pk not in before])
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment) -> None:
    """Delete a comment and its replies.

    `comment` comes from `teams.permissions.comment_get_for_user(action=Action.DELETE)` (its author
    or a moderator), or from the ops console.
    """
    comment.delete()


def _set_resolved(*, comment: Comment, actor: User | None, resolved: bool) -> Comment:
    if comment.parent_id is not None:
        raise DomainError(_("Resolve the thread from its first comment."), code="reply")
    if comment.is_resolved == resolved:
        return comment
    comment.resolved_at = timezone.now() if resolved else None
    comment.resolved_by = actor if resolved else None
    comment.save(update_fields=["resolved_at", "resolved_by"])
    return comment


@transaction.atomic
def comment_resolve(*, comment: Comment, actor: User | None) -> Comment:
    """Mark a thread resolved.

    `comment` comes from `teams.permissions.comment_get_for_user(action=Action.COMMENT)`, or from
    the ops console.
    """
    return _set_resolved(comment=comment, actor=actor, resolved=True)


@transaction.atomic
def comment_unresolve(*, comment: Comment, actor: User | None) -> Comment:
    """Open a resolved thread again (`comment` as for `comment_resolve`)."""
    return _set_resolved(comment=comment, actor=actor, resolved=False)
