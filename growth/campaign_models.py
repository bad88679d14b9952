"""Marketing e-mail: lifecycle and one-off campaigns, one row per person a campaign goes to, and the
marketing categories a person has opted out of.

A campaign's subject, body and call to action are translated per language (modeltranslation,
`growth/translation.py`); the e-mail is laid out by the `growth/email/campaign` template pair.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insights.event_names import EventName
from insights.segment_models import Tier
from teams.models import country_choices


class EmailCategory(models.TextChoices):
    """What a person may opt out of; transactional mail (verification, invitations, exports,
    receipts) has no category and is always sent."""

    TIPS = "tips", _("Tips and reminders to get started")
    NEWSLETTER = "newsletter", _("The monthly newsletter")
    OFFERS = "offers", _("Offers and announcements")
    FEEDBACK = "feedback", _("Requests for feedback")


class Trigger(models.TextChoices):
    WELCOME = "welcome", _("Welcome (at signup)")
    FIRST_VIDEO_TIPS = "first_video_tips", _("First-video tips (day 1, no video yet)")
    TEMPLATE_SHOWCASE = "template_showcase", _("Template showcase (day 3, fewer than 3 videos)")
    ACTIVATION_NUDGE = "activation_nudge", _("Activation nudge (day 7, no video yet)")
    FEATURE_DISCOVERY = "feature_discovery", _("Feature discovery (2 days after the first video)")
    PRO_UPGRADE = "pro_upgrade", _("Pro upgrade offer (10 videos on Free)")
    WE_MISS_YOU = "we_miss_you", _("We miss you (30 days inactive)")
    FEEDBACK_REQUEST = "feedback_request", _("Feedback request (60 days inactive)")
    NEWSLETTER = "newsletter", _("Monthly newsletter")
    ONE_OFF = "one_off", _("One-off (sent by staff to a segment)")


class Segment(models.TextChoices):
    """The customer-success segments a campaign can be limited to (growth.campaign_segments)."""

    EVERYONE = "", _("Everyone the trigger finds")
    NEW = "new", _("New (0-7 days)")
    ACTIVE_FREE = "active_free", _("Active on Free (7-30 days)")
    PRO = "pro", _("Pro")
    AT_RISK = "at_risk", _("At risk")


class PlanFilter(models.TextChoices):
    ANY = "", _("Any plan")
    FREE = "free", _("Free")
    PAID = "paid", _("Pro (any paid plan)")


class Campaign(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    trigger = models.CharField(_("trigger"), max_length=20, choices=Trigger.choices, default=Trigger.ONE_OFF)
    category = models.CharField(_("category"), max_length=12, choices=EmailCategory.choices, default=EmailCategory.TIPS)
    segment = models.CharField(_("condition"), max_length=12, choices=Segment.choices, default="", blank=True)
    delay_days = models.PositiveSmallIntegerField(
        _("delay (days)"),
        default=0,
        validators=[MaxValueValidator(365)],
        help_text=_("Days after the trigger's moment (signup, first video, last activity) before it is sent."),
    )
    goal_event = models.CharField(
        _("goal event"),
        max_length=64,
        blank=True,
        help_text=_("A recipient converts when this event is recorded for them after the e-mail was sent."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Translated per language (growth/translation.py); plain text, laid out by the template pair.
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), help_text=_("Plain text; {name} is replaced by the recipient's name."))
    cta_label = models.CharField(_("button label"), max_length=80, blank=True)
    cta_path = models.CharField(
        _("button link"), max_length=200, blank=True, help_text=_("A path on this site, such as /templates/.")
    )
    subject_experiment = models.ForeignKey(
        "growth.Experiment",
        verbose_name=_("subject-line experiment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Each variant may carry its own subject line (below); assignment is the experiment's."),
    )
    # One-off audience (empty: no filter).
    audience_plan = models.CharField(_("plan"), max_length=5, choices=PlanFilter.choices, default="", blank=True)
    audience_language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="", blank=True
    )
    audience_active_within_days = models.PositiveSmallIntegerField(_("active within (days)"), null=True, blank=True)
    audience_inactive_for_days = models.PositiveSmallIntegerField(_("inactive for (days)"), null=True, blank=True)
    audience_min_videos = models.PositiveIntegerField(_("at least this many videos"), null=True, blank=True)
    audience_max_videos = models.PositiveIntegerField(_("at most this many videos"), null=True, blank=True)
    audience_country = models.CharField(_("country"), max_length=2, choices=country_choices, blank=True, default="")
    audience_tier = models.CharField(
        _("loyalty tier"),
        max_length=10,
        choices=Tier.choices,
        default="",
        blank=True,
        help_text=_("From the nightly customer profiles (Insights → Customer profiles)."),
    )
    scheduled_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["trigger", "key"]
        indexes = [models.Index(fields=["status", "scheduled_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_lifecycle(self) -> bool:
        return self.trigger != Trigger.ONE_OFF

    def clean(self) -> None:
        if self.goal_event and self.goal_event not in EventName.values:
            raise ValidationError({"goal_event": _("Choose a known event.")})
        if self.cta_path and not (self.cta_path.startswith("/") and not self.cta_path.startswith("//")):
            raise ValidationError({"cta_path": _("Use a path on this site, starting with a single /.")})


class CampaignSubject(models.Model):
    """The subject line one variant of the campaign's experiment shows (translated per language)."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="variant_subjects"
    )
    variant = models.ForeignKey(
        "growth.ExperimentVariant", verbose_name=_("variant"), on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=200)

    class Meta:
        verbose_name = _("subject line of a variant")
        verbose_name_plural = _("subject lines of variants")
        constraints = [models.UniqueConstraint(fields=["campaign", "variant"], name="growth_campaign_subject_once")]

    def __str__(self) -> str:
        return self.subject


class CampaignSend(models.Model):
    """A campaign's e-mail to one person: claimed once (the unique constraint), then sent once.

    `period` is "" for a campaign sent once per person and "YYYY-MM" for the monthly newsletter.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Skipped (opted out)")

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="sends")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="campaign_sends"
    )
    period = models.CharField(_("period"), max_length=7, blank=True, default="")
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    variant_key = models.CharField(_("subject variant"), max_length=40, blank=True)
    email_id = models.BigIntegerField(_("outbox e-mail"), null=True, blank=True)
    created_at = models.DateTimeField(_("claimed"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("clicked"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign e-mail")
        verbose_name_plural = _("campaign e-mails")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "user", "period"], name="growth_campaign_send_once"),
        ]
        indexes = [
            # The sender's queue, oldest first; and the throttle's "sent in the last minute". A campaign's
            # figures read the unique index's (campaign, ...) prefix: every index slows the claims down.
            models.Index(fields=["status", "id"], name="growth_send_pending", condition=Q(status="pending")),
            models.Index(fields=["sent_at"], name="growth_send_sent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} → {self.user_id} {self.period}".strip()


class EmailOptOut(models.Model):
    """A person does not want marketing e-mail of `category` (no row: they get it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="email_opt_outs"
    )
    category = models.CharField(_("category"), max_length=12, choices=EmailCategory.choices)
    created_at = models.DateTimeField(_("since"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail opt-out")
        verbose_name_plural = _("e-mail opt-outs")
        constraints = [models.UniqueConstraint(fields=["user", "category"], name="growth_email_opt_out_once")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.category}"


__all__ = ["Campaign", "CampaignSend", "CampaignSubject", "EmailCategory", "EmailOptOut", "Segment", "Trigger"]
