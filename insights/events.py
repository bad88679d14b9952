"""The one way to record a domain event (DESIGN.md §3). Apps never call webhooks directly."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insights.models import Event


class EventName(models.TextChoices):
    # Public: delivered to webhooks.
    VIDEO_CREATED = "video.created", _("Video created")
    VIDEO_PUBLISHED = "video.published", _("Video published")
    VIDEO_DELETED = "video.deleted", _("Video deleted")
    USER_SUBSCRIBED = "user.subscribed", _("User subscribed")
    USER_CANCELLED = "user.cancelled", _("User cancelled")
    PAYMENT_SUCCEEDED = "payment.succeeded", _("Payment succeeded")
    PAYMENT_FAILED = "payment.failed", _("Payment failed")
    # Internal: analytics only.
    USER_SIGNED_UP = "user.signed_up", _("User signed up")
    USER_VERIFIED = "user.verified", _("User verified e-mail")
    USER_LOGGED_IN = "user.logged_in", _("User signed in")
    USER_PROFILE_UPDATED = "user.profile_updated", _("User updated profile")
    TEMPLATE_USED = "template.used", _("Template used")
    EXPORT_COMPLETED = "export.completed", _("Export completed")
    COMMENT_CREATED = "comment.created", _("Comment created")
    FEATURE_VOTED = "feature.voted", _("Feature voted")
    EXPERIMENT_EXPOSED = "experiment.exposed", _("Experiment exposure")
    EXPERIMENT_CONVERTED = "experiment.converted", _("Experiment goal reached")
    EMAIL_OPENED = "email.opened", _("E-mail opened")
    EMAIL_CLICKED = "email.clicked", _("E-mail clicked")
    TEAM_CREATED = "team.created", _("Team created")
    TEAM_DELETED = "team.deleted", _("Team deleted")
    TEAM_MEMBER_JOINED = "team.member_joined", _("Team member joined")
    TEAM_MEMBER_ROLE_CHANGED = "team.member_role_changed", _("Team member role changed")
    TEAM_MEMBER_REMOVED = "team.member_removed", _("Team member removed")
    TEAM_INVITATION_SENT = "team.invitation_sent", _("Team invitation sent")
    TEAM_INVITATION_REVOKED = "team.invitation_revoked", _("Team invitation revoked")


PUBLIC_EVENTS = frozenset(
    {
        EventName.VIDEO_CREATED,
        EventName.VIDEO_PUBLISHED,
        EventName.VIDEO_DELETED,
        EventName.USER_SUBSCRIBED,
        EventName.USER_CANCELLED,
        EventName.PAYMENT_SUCCEEDED,
        EventName.PAYMENT_FAILED,
    }
)


@transaction.atomic
def record_event(
    *,
    name: str,
    actor: Any = None,
    subject: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> Event:
    """Write one event inside the caller's transaction, so it rolls back with the change."""
    if name not in EventName.values:
        raise ValueError(f"Unknown event name {name!r}; add it to EventName first.")
    event = Event(
        name=str(name),
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        payload=payload or {},
        is_public=name in PUBLIC_EVENTS,
        occurred_at=timezone.now(),
    )
    if subject is not None:
        event.subject_type = ContentType.objects.get_for_model(subject)
        event.subject_id = str(subject.pk)
    event.save()
    return event
