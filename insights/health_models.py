"""The history of the health checks, kept by a beat task: uptime, the health score and the status page read it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HealthCheckResult(models.Model):
    """One run of one check of `insights.health.CHECKS` (database, cache, broker, storage …)."""

    name = models.CharField(_("check"), max_length=40)
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    ok = models.BooleanField(_("passed"))
    duration_ms = models.FloatField(_("duration (ms)"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("health check result")
        verbose_name_plural = _("health check results")
        ordering = ["-checked_at"]
        indexes = [
            # Uptime per check over a window, and the newest result per check.
            models.Index(fields=["name", "-checked_at"], name="insights_health_name_at"),
            models.Index(fields=["checked_at"], name="insights_health_at"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {'ok' if self.ok else 'failed'} at {self.checked_at:%Y-%m-%d %H:%M}"
