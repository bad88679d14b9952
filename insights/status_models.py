"""The public status page's own rows: scheduled maintenance, e-mail subscribers, daily uptime roll-ups."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Maintenance(models.Model):
    """A scheduled maintenance window, shown in advance and while it runs."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    components = models.JSONField(_("affected components"), default=list, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("scheduled maintenance")
        verbose_name_plural = _("scheduled maintenance")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="insights_maintenance_order")
        ]
        indexes = [models.Index(fields=["ends_at"], name="insights_maintenance_ends")]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"


class StatusSubscriber(models.Model):
    """Someone who asked for e-mail about incidents: counted only once they confirm (double opt-in)."""

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(_("subscribed"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    class Meta:
        verbose_name = _("status page subscriber")
        verbose_name_plural = _("status page subscribers")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(confirmed_at__isnull=False, unsubscribed_at=None),
                name="insights_status_sub_active",
            )
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class HealthCheckDay(models.Model):
    """One check's results over one finished UTC day, rolled up so 90 days read as 360 rows, not 500,000."""

    name = models.CharField(_("check"), max_length=40)
    day = models.DateField(_("day"))
    total = models.PositiveIntegerField(_("runs"))
    passed = models.PositiveIntegerField(_("passed"))

    class Meta:
        verbose_name = _("health check day")
        verbose_name_plural = _("health check days")
        ordering = ["-day", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="insights_health_day_unique")]
        indexes = [models.Index(fields=["day"], name="insights_health_day")]

    def __str__(self) -> str:
        return f"{self.name} {self.day}: {self.passed}/{self.total}"
