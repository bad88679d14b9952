"""NPS: who was asked when, the answers, and the customer-success tasks detractors open."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NpsCategory(models.TextChoices):
    DETRACTOR = "detractor", _("Detractor (0-6)")
    PASSIVE = "passive", _("Passive (7-8)")
    PROMOTER = "promoter", _("Promoter (9-10)")


class NpsChannel(models.TextChoices):
    IN_APP = "in_app", _("In the app")
    EMAIL = "email", _("E-mail")


class NpsSegment(models.TextChoices):
    """How long the person had been with us when they answered (their tenure)."""

    NEW = "new", _("New (under 90 days)")
    ESTABLISHED = "established", _("Established (90 days to 1 year)")
    VETERAN = "veteran", _("Veteran (over 1 year)")


class NpsSurveyState(models.Model):
    """One row per person asked at least once: when the current period was claimed, and how it ended.

    `asked_at` is moved forward by one conditional UPDATE only when the person is due (30 days after
    signing up, then 90 days after the last time), so a period is claimed at most once whoever asks
    (the in-app prompt, the e-mail beat task, two of them at once).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="nps_state"
    )
    asked_at = models.DateTimeField(_("asked at"), null=True, blank=True)
    asked_by = models.CharField(_("asked by"), max_length=10, choices=NpsChannel.choices, blank=True)
    dismissed_at = models.DateTimeField(_("dismissed at"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("NPS survey state")
        verbose_name_plural = _("NPS survey states")
        indexes = [models.Index(fields=["asked_at"], name="insights_nps_state_asked")]

    def __str__(self) -> str:
        return f"NPS state of {self.user_id}"


class NpsResponse(models.Model):
    """One answer: a score 0-10 with optional feedback; plan and segment as they were when answered."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="nps_responses",
    )
    score = models.PositiveSmallIntegerField(_("score"))
    category = models.CharField(_("category"), max_length=10, choices=NpsCategory.choices)
    feedback = models.TextField(_("feedback"), blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=NpsChannel.choices)
    plan_code = models.CharField(_("plan"), max_length=40, blank=True)
    segment = models.CharField(_("segment"), max_length=12, choices=NpsSegment.choices)
    created_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("NPS response")
        verbose_name_plural = _("NPS responses")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__lte=10), name="insights_nps_score_0_10"),
        ]
        indexes = [
            models.Index(fields=["created_at", "id"], name="insights_nps_created"),
            models.Index(fields=["category", "created_at"], name="insights_nps_category_at"),
        ]

    def __str__(self) -> str:
        return f"{self.score} ({self.category}) at {self.created_at:%Y-%m-%d}"


class CustomerSuccessTask(models.Model):
    """A follow-up a detractor's answer opens: due within 24 hours, assigned round-robin to staff."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    response = models.OneToOneField(
        NpsResponse, verbose_name=_("NPS response"), on_delete=models.CASCADE, related_name="task"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer_success_tasks",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    due_at = models.DateTimeField(_("due at"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        verbose_name = _("customer-success task")
        verbose_name_plural = _("customer-success tasks")
        ordering = ["status", "due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"], name="insights_cs_task_queue")]

    def __str__(self) -> str:
        return f"Follow-up #{self.pk}"

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_at < timezone.now()


class NpsAssignmentCursor(models.Model):
    """The single row whose lock makes round-robin assignments take turns: the last staff member given a task."""

    last_assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("NPS assignment cursor")

    def __str__(self) -> str:
        return f"Last assigned: {self.last_assignee_id}"
