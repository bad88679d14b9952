"""A/B experiments: the experiment, its variants, who saw which variant, and goals posted by clients."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insights.event_names import EventName


class Experiment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        RUNNING = "running", _("Running")
        STOPPED = "stopped", _("Stopped")
        SHIPPED = "shipped", _("Shipped")

    key = models.SlugField(
        _("key"), max_length=60, unique=True, help_text=_("Used in templates, the API and the hash; never changes.")
    )
    name = models.CharField(_("name"), max_length=120)
    hypothesis = models.TextField(_("hypothesis"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    goal_event = models.CharField(
        _("goal event"),
        max_length=64,
        # No `choices`: validated in clean(), so a new event name elsewhere needs no growth migration.
        help_text=_("A person converts when this event is recorded for them after they saw the experiment."),
    )
    guardrail_events = models.JSONField(
        _("guardrail events"),
        default=list,
        blank=True,
        help_text=_("Event names watched for harm, not for the verdict."),
    )
    coverage = models.FloatField(
        _("coverage"),
        default=1.0,
        validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text=_("Share of traffic included (0 to 1); the rest sees control and is not counted."),
    )
    minimum_detectable_effect = models.FloatField(
        _("minimum detectable effect"),
        default=0.10,
        validators=[MinValueValidator(0.001), MaxValueValidator(10.0)],
        help_text=_("The smallest relative lift worth finding, e.g. 0.1 for +10 %."),
    )
    seed = models.CharField(
        _("hash seed"), max_length=60, blank=True, help_text=_("Empty: the key, as GrowthBook does.")
    )
    shipped_variant = models.ForeignKey(
        "growth.ExperimentVariant",
        verbose_name=_("shipped variant"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    verdict_notified_at = models.DateTimeField(_("verdict notified"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.name or self.key

    @property
    def hash_seed(self) -> str:
        return self.seed or self.key

    def clean(self) -> None:
        if self.goal_event not in EventName.values:
            raise ValidationError({"goal_event": _("Choose a known event.")})
        unknown = [name for name in self.guardrail_events or [] if name not in EventName.values]
        if not isinstance(self.guardrail_events, list) or unknown:
            raise ValidationError({"guardrail_events": _("Use a list of known event names.")})


class ExperimentVariant(models.Model):
    experiment = models.ForeignKey(
        Experiment, verbose_name=_("experiment"), on_delete=models.CASCADE, related_name="variants"
    )
    key = models.SlugField(_("key"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    weight = models.FloatField(
        _("traffic weight"), default=1.0, validators=[MinValueValidator(0.0)], help_text=_("Relative share of traffic.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0, help_text=_("0 is the control."))

    class Meta:
        verbose_name = _("experiment variant")
        verbose_name_plural = _("experiment variants")
        ordering = ["experiment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "key"], name="growth_experiment_variant_key"),
            models.UniqueConstraint(fields=["experiment", "position"], name="growth_experiment_variant_position"),
        ]

    def __str__(self) -> str:
        return self.name or self.key

    @property
    def is_control(self) -> bool:
        return self.position == 0


class ExperimentAssignment(models.Model):
    """One exposure: a person (or an anonymous visitor) was shown a variant. Written once."""

    experiment = models.ForeignKey(
        Experiment, verbose_name=_("experiment"), on_delete=models.CASCADE, related_name="assignments"
    )
    variant = models.ForeignKey(
        ExperimentVariant, verbose_name=_("variant"), on_delete=models.CASCADE, related_name="assignments"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="experiment_assignments",
    )
    anonymous_id = models.CharField(_("anonymous id"), max_length=64, blank=True)
    exposed_at = models.DateTimeField(_("exposed"), default=timezone.now)

    class Meta:
        verbose_name = _("experiment assignment")
        verbose_name_plural = _("experiment assignments")
        ordering = ["-exposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "user"], condition=Q(user__isnull=False), name="growth_assignment_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["experiment", "anonymous_id"],
                condition=~Q(anonymous_id=""),
                name="growth_assignment_once_per_visitor",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(anonymous_id=""), name="growth_assignment_has_subject"
            ),
        ]
        indexes = [
            models.Index(fields=["experiment", "variant"]),
            models.Index(fields=["anonymous_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.experiment_id}: {self.variant_id}"


class ExperimentGoal(models.Model):
    """A goal an API client posted for a person; its `event_id` makes a repeated post harmless."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="experiment_goals"
    )
    experiment = models.ForeignKey(
        Experiment, verbose_name=_("experiment"), on_delete=models.CASCADE, related_name="goals"
    )
    event_id = models.CharField(_("event id"), max_length=100)
    recorded_event = models.ForeignKey(
        "insights.Event",
        verbose_name=_("recorded event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    occurred_at = models.DateTimeField(_("occurred"), default=timezone.now)

    class Meta:
        verbose_name = _("experiment goal")
        verbose_name_plural = _("experiment goals")
        ordering = ["-occurred_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "event_id"], name="growth_goal_event_id_once")]
        indexes = [models.Index(fields=["experiment", "user", "occurred_at"])]

    def __str__(self) -> str:
        return self.event_id


class ExperimentDashboard(Experiment):
    """No table of its own: the growth dashboard's entry on the ops console's index."""

    class Meta:
        proxy = True
        verbose_name = _("growth dashboard")
        verbose_name_plural = _("growth dashboard")
