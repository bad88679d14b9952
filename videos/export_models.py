"""Batch exports: a ZIP of videos a person may access, built by a worker (videos/services/exports.py).

Kept apart from videos/models.py (which imports it) so the export machinery reads in one place.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportJobQuerySet(models.QuerySet):
    # A queued export whose task has not claimed it after this long was lost on the way to the broker.
    QUEUED_LOST_AFTER = timezone.timedelta(minutes=10)

    def _stale_claim(self, now: datetime) -> Q:
        stale = timezone.timedelta(seconds=settings.VIDEO_EXPORT_STALE_AFTER_SECONDS)
        return Q(status=ExportJob.Status.RUNNING, heartbeat_at__lt=now - stale)

    def claimable(self, *, now: datetime | None = None) -> "ExportJobQuerySet":
        """Jobs a build may claim: queued ones, and running ones whose worker went silent."""
        return self.filter(Q(status=ExportJob.Status.QUEUED) | self._stale_claim(now or timezone.now()))

    def stalled(self, *, now: datetime | None = None) -> "ExportJobQuerySet":
        """Jobs the sweeper sends to a worker again: queued too long, or running without a heartbeat."""
        now = now or timezone.now()
        lost = Q(status=ExportJob.Status.QUEUED, created_at__lt=now - self.QUEUED_LOST_AFTER)
        return self.filter(lost | self._stale_claim(now))

    def active(self) -> "ExportJobQuerySet":
        return self.filter(status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING])


class ExportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Preparing")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="export_jobs"
    )
    videos = models.ManyToManyField("videos.Video", verbose_name=_("videos"), related_name="export_jobs")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    video_count = models.PositiveIntegerField(_("videos"), default=0)
    file = models.FileField(_("file"), max_length=500, blank=True)
    size_bytes = models.BigIntegerField(_("size (bytes)"), null=True, blank=True)
    error_message = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # Written with every progress step; a running job whose heartbeat is stale lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("download expires"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # Set anew by every claim; only the attempt holding the current token may progress, finish or
    # fail the job, and each attempt stores its ZIP under its token (see export_build).
    claim_token = models.CharField(_("build claim"), max_length=32, blank=True, editable=False)

    objects = ExportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="videos_export_owner_recent"),
            models.Index(fields=["status", "heartbeat_at"], name="videos_export_status"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{_('Export')} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == self.Status.READY
            and bool(self.file)
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )

    def storage_path(self, token: str) -> str:
        return f"exports/{self.owner_id}/{self.pk}/{token}/videos-{self.pk}.zip"
