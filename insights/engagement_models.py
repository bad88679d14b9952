"""Video engagement per video, platform and day, and the per-visitor ledger of our own player.

A `VideoDailyStat` row holds what happened on one day: for our player the views and watch time the
beacons reported that day; for a platform the growth of its lifetime counters since the day before
(the daily fetch stores today's total minus the earlier days' rows, so re-running a day replaces it).
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def engagement_today() -> date:
    """Engagement days are calendar days of the site's time zone (TIME_ZONE), whoever watches from
    where, so a view is counted on one day for everyone who reads it."""
    return timezone.localdate(timezone=timezone.get_default_timezone())


class EngagementPlatform(models.TextChoices):
    PLAYER = "player", _("Our player")
    YOUTUBE = "youtube", _("YouTube")
    INSTAGRAM = "instagram", _("Instagram")
    TIKTOK = "tiktok", _("TikTok")
    FACEBOOK = "facebook", _("Facebook")
    X = "x", _("X")


class VideoDailyStat(models.Model):
    """One video's views, likes, shares and watch time on one platform on one day."""

    # Foreign keys without an index of their own: the unique (video, platform, day) and the
    # (owner, day) indexes start with them.
    video = models.ForeignKey(
        "videos.Video", verbose_name=_("video"), on_delete=models.CASCADE, related_name="daily_stats", db_index=False
    )
    # The video's owner, copied so the creator dashboard reads one index range (owner, day) instead
    # of joining every video of a large account.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    platform = models.CharField(_("platform"), max_length=10, choices=EngagementPlatform.choices)
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)
    likes = models.PositiveIntegerField(_("likes"), default=0)
    shares = models.PositiveIntegerField(_("shares"), default=0)
    watch_seconds = models.PositiveBigIntegerField(_("watch time (seconds)"), default=0)

    class Meta:
        verbose_name = _("video daily statistic")
        verbose_name_plural = _("video daily statistics")
        constraints = [
            models.UniqueConstraint(fields=["video", "platform", "day"], name="insights_videostat_one_per_day"),
        ]
        indexes = [
            models.Index(fields=["owner", "day"], name="insights_videostat_owner_day"),
        ]

    def __str__(self) -> str:
        return f"{self.video_id} {self.platform} {self.day}"


class PlayerViewerDay(models.Model):
    """One visitor watching one video on one day in our player: counts one view, bounds watch time."""

    # Indexed by the unique (video, visitor, day), which starts with it.
    video = models.ForeignKey(
        "videos.Video", verbose_name=_("video"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # A hash of the signed-in person's id or the anonymous visitor cookie, never the raw cookie.
    visitor = models.CharField(_("visitor"), max_length=64)
    day = models.DateField(_("day"))
    watch_seconds = models.PositiveIntegerField(_("watch time (seconds)"), default=0)

    class Meta:
        verbose_name = _("player viewer day")
        verbose_name_plural = _("player viewer days")
        constraints = [
            models.UniqueConstraint(fields=["video", "visitor", "day"], name="insights_playerviewer_one_per_day"),
        ]
        indexes = [models.Index(fields=["day"], name="insights_playerviewer_day")]

    def __str__(self) -> str:
        return f"{self.video_id} {self.day}"


class CreatorDailyStat(models.Model):
    """The sums of one owner's `VideoDailyStat` rows per platform and day, kept in step by every write,
    so the dashboard reads a few hundred rows whatever the number of videos."""

    # Indexed by the unique (owner, day, platform), which starts with it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    platform = models.CharField(_("platform"), max_length=10, choices=EngagementPlatform.choices)
    day = models.DateField(_("day"))
    views = models.BigIntegerField(_("views"), default=0)
    likes = models.BigIntegerField(_("likes"), default=0)
    shares = models.BigIntegerField(_("shares"), default=0)
    watch_seconds = models.BigIntegerField(_("watch time (seconds)"), default=0)

    class Meta:
        verbose_name = _("creator daily statistic")
        verbose_name_plural = _("creator daily statistics")
        constraints = [
            models.UniqueConstraint(fields=["owner", "day", "platform"], name="insights_creatorstat_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.owner_id} {self.platform} {self.day}"


class VideoEngagementTotal(models.Model):
    """A video's lifetime sums over its daily rows and platforms, kept in step by every write (top videos)."""

    video = models.OneToOneField(
        "videos.Video",
        verbose_name=_("video"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="engagement_total",
    )
    # Indexed by (owner, -views, video), which starts with it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    views = models.BigIntegerField(_("views"), default=0)
    likes = models.BigIntegerField(_("likes"), default=0)
    shares = models.BigIntegerField(_("shares"), default=0)
    watch_seconds = models.BigIntegerField(_("watch time (seconds)"), default=0)

    class Meta:
        verbose_name = _("video engagement total")
        verbose_name_plural = _("video engagement totals")
        indexes = [models.Index(fields=["owner", "-views", "video"], name="insights_videototal_top")]

    def __str__(self) -> str:
        return f"{self.video_id}: {self.views}"
