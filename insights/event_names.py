"""The names of domain events, and which of them are public (delivered to webhooks).

Imports nothing of ours, so models, services and other apps can all use it without a circle.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventName(models.TextChoices):
    # Public: delivered to webhooks.
    VIDEO_CREATED = "video.created", _("Video created")
    VIDEO_RENDERED = "video.rendered", _("Video rendered")
    VIDEO_PUBLISHED = "video.published", _("Video published")
    VIDEO_DELETED = "video.deleted", _("Video deleted")
    EXPORT_READY = "export.ready", _("Export ready")
    USER_SUBSCRIBED = "user.subscribed", _("User subscribed")
    USER_CANCELLED = "user.cancelled", _("User cancelled")
    PAYMENT_SUCCEEDED = "payment.succeeded", _("Payment succeeded")
    PAYMENT_FAILED = "payment.failed", _("Payment failed")
    COMMENT_CREATED = "comment.created", _("Comment created")
    # Internal: analytics only.
    USER_SIGNED_UP = "user.signed_up", _("User signed up")
    USER_VERIFIED = "user.verified", _("User verified e-mail")
    USER_LOGGED_IN = "user.logged_in", _("User signed in")
    USER_PROFILE_UPDATED = "user.profile_updated", _("User updated profile")
    TEMPLATE_USED = "template.used", _("Template used")
    FEATURE_VOTED = "feature.voted", _("Feature voted")
    FEATURE_REQUESTED = "feature.requested", _("Feature requested")
    REFERRAL_SIGNED_UP = "referral.signed_up", _("Referred person signed up")
    REFERRAL_REWARDED = "referral.rewarded", _("Referrer rewarded")
    WAITLIST_JOINED = "waitlist.joined", _("Waitlist joined")
    EXPERIMENT_EXPOSED = "experiment.exposed", _("Experiment exposure")
    EXPERIMENT_CONVERTED = "experiment.converted", _("Experiment goal reached")
    EXPERIMENT_SHIPPED = "experiment.shipped", _("Experiment variant shipped")
    ONBOARDING_COMPLETED = "onboarding.completed", _("Onboarding completed")
    EMAIL_OPENED = "email.opened", _("E-mail opened")
    EMAIL_CLICKED = "email.clicked", _("E-mail clicked")
    PAGE_VIEWED = "page.viewed", _("Page viewed")
    EXPORT_STARTED = "export.started", _("Export started")
    TEAM_CREATED = "team.created", _("Team created")
    TEAM_DELETED = "team.deleted", _("Team deleted")
    TEAM_MEMBER_JOINED = "team.member_joined", _("Team member joined")
    TEAM_MEMBER_ROLE_CHANGED = "team.member_role_changed", _("Team member role changed")
    TEAM_MEMBER_REMOVED = "team.member_removed", _("Team member removed")
    TEAM_INVITATION_SENT = "team.invitation_sent", _("Team invitation sent")
    TEAM_INVITATION_REVOKED = "team.invitation_revoked", _("Team invitation revoked")
    NPS_ANSWERED = "nps.answered", _("NPS survey answered")
    NPS_DISMISSED = "nps.dismissed", _("NPS survey dismissed")
    SUPPORT_REQUESTED = "support.requested", _("Support request sent")
    SUPPORT_REPLIED = "support.replied", _("Support request answered")
    INCIDENT_OPENED = "incident.opened", _("Incident opened")
    INCIDENT_RESOLVED = "incident.resolved", _("Incident resolved")


# The one list of public (webhook) events, in the order the API documents them. A domain that
# lands a new public event adds its name here; endpoints subscribe to any of these.
PUBLIC_EVENTS: tuple[str, ...] = (
    EventName.VIDEO_CREATED,
    EventName.VIDEO_RENDERED,
    EventName.VIDEO_PUBLISHED,
    EventName.VIDEO_DELETED,
    EventName.EXPORT_READY,
    EventName.COMMENT_CREATED,
    EventName.USER_SUBSCRIBED,
    EventName.USER_CANCELLED,
    EventName.PAYMENT_SUCCEEDED,
    EventName.PAYMENT_FAILED,
)

# Sent only by "send test event" on an endpoint; never recorded as a domain event.
WEBHOOK_TEST_EVENT = "webhook.test"
