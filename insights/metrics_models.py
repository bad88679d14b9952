"""What the metrics keep: one snapshot row per day and metric family, and staff-entered acquisition spend."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DailySnapshot(models.Model):
    """The figures of one metric family (`insights.metrics.snapshots.FAMILIES`) for one UTC day.

    Written by the beat task (`insights.daily_snapshots_build`); rebuilding a day replaces its row,
    so dashboards read a few hundred of these rather than the event table.
    """

    day = models.DateField(_("day"))
    family = models.CharField(_("metric family"), max_length=20)
    data = models.JSONField(_("figures"), default=dict)
    computed_at = models.DateTimeField(_("computed at"), default=timezone.now)

    class Meta:
        verbose_name = _("daily snapshot")
        verbose_name_plural = _("daily snapshots")
        ordering = ["-day", "family"]
        constraints = [models.UniqueConstraint(fields=["day", "family"], name="insights_snapshot_day_family")]
        # The unique constraint's index (day, family) answers the dashboards' range reads.

    def __str__(self) -> str:
        return f"{self.family} · {self.day:%Y-%m-%d}"


class AcquisitionSpend(models.Model):
    """What marketing spent on one channel in one month; CAC divides it by the customers won that month."""

    class Channel(models.TextChoices):
        PAID_SEARCH = "paid_search", _("Paid search")
        PAID_SOCIAL = "paid_social", _("Paid social")
        CONTENT = "content", _("Content and SEO")
        AFFILIATES = "affiliates", _("Affiliates and referrals")
        EVENTS = "events", _("Events and sponsorships")
        OTHER = "other", _("Other")

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    month = models.DateField(_("month"), help_text=_("Any day of the month; stored as its first day."))
    amount_cents = models.PositiveIntegerField(_("amount (cents)"), validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, default="usd")
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("acquisition spend")
        verbose_name_plural = _("acquisition spend")
        ordering = ["-month", "channel"]
        constraints = [models.UniqueConstraint(fields=["channel", "month"], name="insights_spend_channel_month")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.month:%Y-%m}: {self.amount_cents / 100:.2f}"


class BIDashboard(DailySnapshot):
    """No table of its own: the BI dashboard's entry on the ops console's index (it reads the snapshots)."""

    class Meta:
        proxy = True
        verbose_name = _("BI dashboard")
        verbose_name_plural = _("BI dashboard")
