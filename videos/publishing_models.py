"""Scheduled publishing: a video published at a time to one or more platforms (DESIGN.md §2 "videos").

Kept apart from videos/models.py (which imports it) so the publishing machinery reads in one place;
the flow lives in videos/services/publishing.py and the platform clients in videos/platforms/.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Platform(models.TextChoices):
    YOUTUBE = "youtube", _("YouTube")
    INSTAGRAM = "instagram", _("Instagram")
    TIKTOK = "tiktok", _("TikTok")
    FACEBOOK = "facebook", _("Facebook")
    X = "x", _("X")


class Privacy(models.TextChoices):
    PUBLIC = "public", _("Public")
    UNLISTED = "unlisted", _("Unlisted")
    PRIVATE = "private", _("Private")


class Publication(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHING = "publishing", _("Publishing")
        PUBLISHED = "published", _("Published")
        PARTLY_PUBLISHED = "partly_published", _("Partly published")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    video = models.ForeignKey(
        "videos.Video", verbose_name=_("video"), on_delete=models.CASCADE, related_name="publications"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("scheduled by"), on_delete=models.CASCADE, related_name="publications"
    )
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="publications",
    )
    # Always UTC; `time_zone` is the zone the person chose, to show the time back as they meant it.
    scheduled_at = models.DateTimeField(_("publish at"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    # Written by the one conditional UPDATE that moves a due publication to "publishing".
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-scheduled_at", "-pk"]
        indexes = [
            # The claim loop: due rows only, oldest first.
            models.Index(fields=["scheduled_at"], name="videos_pub_due", condition=Q(status="scheduled")),
            models.Index(fields=["owner", "-scheduled_at"], name="videos_pub_owner"),
            models.Index(fields=["team", "-scheduled_at"], name="videos_pub_team"),
            models.Index(fields=["status", "-scheduled_at"], name="videos_pub_status"),
        ]

    def __str__(self) -> str:
        return f"{self.video} @ {self.scheduled_at:%Y-%m-%d %H:%M} UTC"

    @property
    def is_cancellable(self) -> bool:
        return self.status == self.Status.SCHEDULED


class PublicationTarget(models.Model):
    """One platform of a publication, with its own result (a platform failure never fails the others)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        UPLOADING = "uploading", _("Uploading")
        RETRY_WAIT = "retry_wait", _("Waiting to try again")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")
        # The request that publishes timed out after the media was sent and the platform could not
        # tell whether the post exists: never retried without the person's confirmation.
        UNKNOWN = "unknown", _("Unknown — check the platform")
        CANCELLED = "cancelled", _("Cancelled")

    publication = models.ForeignKey(
        Publication, verbose_name=_("publication"), on_delete=models.CASCADE, related_name="targets"
    )
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    social_account = models.ForeignKey(
        "socialaccount.SocialAccount",
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    caption = models.TextField(_("caption"), blank=True)
    privacy = models.CharField(_("privacy"), max_length=10, choices=Privacy.choices, default=Privacy.PUBLIC)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PENDING)
    remote_id = models.CharField(_("remote id"), max_length=200, blank=True)
    public_url = models.URLField(_("public URL"), max_length=500, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    error_action = models.TextField(_("what to do"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # Where the upload stands on the platform (session URL, container id, offset, phase), saved as
    # it advances, so a retry resumes the session instead of starting another upload.
    upload_state = models.JSONField(_("upload state"), default=dict, blank=True, editable=False)
    # Set anew by every attempt's claim; only the holder may record a result.
    claim_token = models.CharField(_("attempt claim"), max_length=32, blank=True, editable=False)
    claimed_at = models.DateTimeField(_("attempt started"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("publication target")
        verbose_name_plural = _("publication targets")
        ordering = ["publication", "platform"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "platform"], name="videos_pubtarget_one_per_platform")
        ]
        indexes = [
            # The claim loop's second half: retries that are due and attempts whose worker went silent.
            models.Index(
                fields=["next_attempt_at"],
                name="videos_pubtarget_retry",
                condition=Q(status__in=["pending", "retry_wait", "uploading"]),
            ),
            models.Index(fields=["platform", "status"], name="videos_pubtarget_platform"),
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()}: {self.get_status_display()}"

    @property
    def is_final(self) -> bool:
        return self.status in {self.Status.PUBLISHED, self.Status.FAILED, self.Status.CANCELLED, self.Status.UNKNOWN}
