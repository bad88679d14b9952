"""Incidents: severities with their targets, the workflow, its timeline, escalations and post-mortems."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What the public status page can show for a part of the product (insights.status).
COMPONENT_CHOICES = [
    ("web", _("Web app")),
    ("api", _("API")),
    ("rendering", _("Rendering")),
    ("exports", _("Exports")),
    ("publishing_youtube", _("Publishing to YouTube")),
    ("publishing_instagram", _("Publishing to Instagram")),
    ("publishing_tiktok", _("Publishing to TikTok")),
    ("publishing_facebook", _("Publishing to Facebook")),
    ("publishing_x", _("Publishing to X")),
    ("email", _("E-mail")),
    ("webhooks", _("Webhooks")),
]


class Severity(models.Model):
    """P0 to P3 with the targets the clocks run against; seeded, editable by staff."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=60)
    rank = models.PositiveSmallIntegerField(_("rank"), help_text=_("0 is the most severe."))
    response_minutes = models.PositiveIntegerField(_("respond within (minutes)"))
    resolution_minutes = models.PositiveIntegerField(_("resolve within (minutes)"))
    postmortem_required = models.BooleanField(_("post-mortem required"), default=False)

    class Meta:
        verbose_name = _("incident severity")
        verbose_name_plural = _("incident severities")
        ordering = ["rank"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def response_target(self) -> timedelta:
        return timedelta(minutes=self.response_minutes)

    @property
    def resolution_target(self) -> timedelta:
        return timedelta(minutes=self.resolution_minutes)


class Incident(models.Model):
    class State(models.TextChoices):
        DETECTED = "detected", _("Detected")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        INVESTIGATING = "investigating", _("Investigating")
        IDENTIFIED = "identified", _("Identified")
        MONITORING = "monitoring", _("Monitoring")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Opened by hand")
        ALERT = "alert", _("Alert")
        SUPPORT = "support", _("Support request")

    OPEN_STATES = (State.DETECTED, State.ACKNOWLEDGED, State.INVESTIGATING, State.IDENTIFIED, State.MONITORING)

    title = models.CharField(_("title"), max_length=200)
    severity = models.ForeignKey(Severity, verbose_name=_("severity"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=14, choices=State.choices, default=State.DETECTED)
    components = models.JSONField(
        _("affected components"), default=list, blank=True, help_text=_("Keys of the status page's components.")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    commander = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("incident commander"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    detected_at = models.DateTimeField(_("detected"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-detected_at", "-id"]
        constraints = [
            # One incident per alert episode (or per support request): a second signal finds the first.
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~Q(source_id=""), name="insights_incident_one_per_source"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "detected_at"], name="insights_incident_state_at"),
            models.Index(fields=["resolved_at"], name="insights_incident_resolved_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def response_due_at(self) -> datetime:
        return self.detected_at + self.severity.response_target

    def resolution_due_at(self) -> datetime:
        return self.detected_at + self.severity.resolution_target

    def overdue_clocks(self, *, now: datetime) -> list[str]:
        """Which clocks ("response", "resolution") are past their target at `now`."""
        late = []
        if self.acknowledged_at is None and self.state == self.State.DETECTED and now > self.response_due_at():
            late.append("response")
        if self.resolved_at is None and self.is_open and now > self.resolution_due_at():
            late.append("resolution")
        return late


class IncidentUpdate(models.Model):
    """One line of an incident's timeline: a state change, an internal note or a public update."""

    class Kind(models.TextChoices):
        STATE = "state", _("State change")
        NOTE = "note", _("Internal note")
        PUBLIC = "public", _("Public update")

    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    state = models.CharField(_("state"), max_length=14, choices=Incident.State.choices)
    body = models.TextField(_("text"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)
    # Set once subscribers' e-mails are queued: the fence that makes the notify task idempotent.
    subscribers_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("incident update")
        verbose_name_plural = _("incident updates")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["incident", "created_at"], name="insights_incident_update_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_state_display()}"

    @property
    def is_public(self) -> bool:
        return self.kind == self.Kind.PUBLIC


class EscalationStep(models.Model):
    """One rung of the escalation path: who hears about an incident past its target, and when."""

    class Level(models.TextChoices):
        ON_CALL = "on_call", _("On-call engineer")
        ENGINEERING_LEAD = "engineering_lead", _("Engineering lead")
        CTO = "cto", _("CTO")
        EXECUTIVE = "executive", _("Executive")

    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    delay_minutes = models.PositiveIntegerField(
        _("after (minutes past the target)"), help_text=_("0 escalates the moment a target is missed.")
    )
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("recipients"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.order}. {self.get_level_display()} (+{self.delay_minutes} min)"


class IncidentEscalation(models.Model):
    """One escalation step sent for one clock of one incident: the database keeps it to once."""

    class Clock(models.TextChoices):
        RESPONSE = "response", _("Response")
        RESOLUTION = "resolution", _("Resolution")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="escalations"
    )
    step = models.ForeignKey(EscalationStep, verbose_name=_("step"), on_delete=models.CASCADE, related_name="+")
    clock = models.CharField(_("clock"), max_length=10, choices=Clock.choices)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        verbose_name = _("escalation sent")
        verbose_name_plural = _("escalations sent")
        constraints = [
            models.UniqueConstraint(fields=["incident", "step", "clock"], name="insights_escalation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} · {self.clock} · {self.step_id}"


class PostMortem(models.Model):
    """The blameless review of an incident: required for severities that say so, within 72 h."""

    incident = models.OneToOneField(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="postmortem"
    )
    summary = models.TextField(_("summary"))
    impact = models.TextField(_("impact"))
    timeline = models.TextField(_("timeline"))
    root_cause = models.TextField(_("root cause"))
    went_well = models.TextField(_("what went well"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("post-mortem")
        verbose_name_plural = _("post-mortems")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{_('Post-mortem')} {self.incident}"


class ActionItem(models.Model):
    postmortem = models.ForeignKey(
        PostMortem, verbose_name=_("post-mortem"), on_delete=models.CASCADE, related_name="action_items"
    )
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["due_on"], condition=Q(done_at=None), name="insights_action_item_open_due")]

    def __str__(self) -> str:
        return self.description
