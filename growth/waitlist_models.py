"""Waitlists for features in preview, and the per-account flags that switch a feature on."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["FeatureFlag", "PreviewFeature", "WaitlistEntry"]


class PreviewFeature(models.Model):
    """A feature in preview: people join its waitlist; staff invite them in batches."""

    key = models.SlugField(
        _("key"), max_length=50, unique=True, help_text=_("What the code checks, e.g. ai-voiceover.")
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    is_open = models.BooleanField(_("waitlist open"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("preview feature")
        verbose_name_plural = _("preview features")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WaitlistEntry(models.Model):
    feature = models.ForeignKey(
        PreviewFeature, verbose_name=_("feature"), on_delete=models.CASCADE, related_name="entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="waitlist_entries"
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    # The place in line: the join time, moved earlier for each successful referral of the person
    # (growth.waitlist_selectors.REFERRAL_BOOST_DAYS each); kept by growth.services.waitlist.
    queue_at = models.DateTimeField(_("in line since"), default=timezone.now)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True)

    class Meta:
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        ordering = ["joined_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["feature", "user"], name="growth_waitlist_once")]
        indexes = [models.Index(fields=["feature", "invited_at", "queue_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.feature}"


class FeatureFlag(models.Model):
    """A feature switched on for one account; read only through `growth.flags.feature_enabled`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="feature_flags"
    )
    key = models.SlugField(_("feature key"), max_length=50)
    enabled_at = models.DateTimeField(_("switched on"), default=timezone.now)

    class Meta:
        verbose_name = _("feature flag")
        verbose_name_plural = _("feature flags")
        ordering = ["-enabled_at"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="growth_flag_once_per_account")]

    def __str__(self) -> str:
        return f"{self.key} · {self.user}"
