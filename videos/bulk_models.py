"""Bulk generation: one template, a sheet of rows, one video per row (videos/services/bulk.py).

Kept apart from videos/models.py (which imports it) so the bulk machinery reads in one place.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BulkJob(models.Model):
    class Status(models.TextChoices):
        # Checked and shown as a preview; nothing is made until the creator starts it.
        VALIDATED = "validated", _("Checked, not started")
        RUNNING = "running", _("Making videos")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class Quality(models.TextChoices):
        FINAL = "final", _("Final")
        DRAFT = "draft", _("Draft (faster, smaller)")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="bulk_jobs"
    )
    # The workspace the rows' videos go to unless a row names another team.
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), on_delete=models.CASCADE, null=True, blank=True, related_name="bulk_jobs"
    )
    template = models.ForeignKey(
        "videos.Template", verbose_name=_("template"), on_delete=models.PROTECT, related_name="bulk_jobs"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALIDATED)
    quality = models.CharField(_("quality"), max_length=5, choices=Quality.choices, default=Quality.FINAL)
    source_name = models.CharField(_("sheet"), max_length=200, blank=True)
    # Uploaded media by the name the sheet uses, and columns the sheet had that the template does not take.
    options = models.JSONField(_("options"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    valid_count = models.PositiveIntegerField(_("valid rows"), default=0)
    selected_count = models.PositiveIntegerField(_("rows started"), default=0)
    created_count = models.PositiveIntegerField(_("videos created"), default=0)
    rendered_count = models.PositiveIntegerField(_("videos rendered"), default=0)
    failed_count = models.PositiveIntegerField(_("rows failed"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # Written by every batch; a running job whose pending rows saw no batch for long lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk job")
        verbose_name_plural = _("bulk jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="videos_bulk_owner_recent"),
            models.Index(fields=["status", "heartbeat_at"], name="videos_bulk_status"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{_('Bulk job')} #{self.pk}"

    @property
    def invalid_count(self) -> int:
        return self.row_count - self.valid_count

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.RUNNING

    @property
    def finished_rows(self) -> int:
        return self.rendered_count + self.failed_count

    @property
    def progress(self) -> int:
        """Percent of the started rows that are rendered or failed."""
        if not self.selected_count:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, int(100 * self.finished_rows / self.selected_count))


class BulkRow(models.Model):
    class Status(models.TextChoices):
        INVALID = "invalid", _("Has errors")
        VALID = "valid", _("Ready to start")
        PENDING = "pending", _("Waiting")
        CREATED = "created", _("Rendering")
        RENDERED = "rendered", _("Rendered")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not started")
        CANCELLED = "cancelled", _("Cancelled")

    job = models.ForeignKey(BulkJob, verbose_name=_("bulk job"), on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("row"))
    data = models.JSONField(_("input"), default=dict)
    # [{"column": ..., "code": ..., "params": {...}}]: rendered in the reader's language (videos.bulk_sheets).
    errors = models.JSONField(_("errors"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.VALID)
    video = models.OneToOneField(
        "videos.Video",
        verbose_name=_("video"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bulk_row",
    )
    attempts = models.PositiveSmallIntegerField(_("render attempts"), default=0)
    error_message = models.TextField(_("error"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("bulk row")
        verbose_name_plural = _("bulk rows")
        ordering = ["job", "number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="videos_bulkrow_unique_number")]
        indexes = [
            models.Index(fields=["job", "status", "number"], name="videos_bulkrow_status"),
        ]

    def __str__(self) -> str:
        return f"{self.job} · {self.number}"

    @property
    def title(self) -> str:
        return str((self.data.get("cells") or {}).get("title") or "")
