"""Feature requests: ideas people vote up or down and discuss; staff score them by RICE."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["FeatureComment", "FeatureRequest", "FeatureVote"]


class FeatureRequest(models.Model):
    class Category(models.TextChoices):
        UI_UX = "ui_ux", _("UI/UX")
        API = "api", _("API")
        INTEGRATION = "integration", _("Integration")
        VIDEO = "video", _("Video")
        BILLING = "billing", _("Billing")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        SHIPPED = "shipped", _("Shipped")
        DECLINED = "declined", _("Declined")

    title = models.CharField(_("title"), max_length=140)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="feature_requests",
    )
    # Kept by the vote service from the votes themselves (recounted under the request's row lock).
    upvotes = models.PositiveIntegerField(_("up votes"), default=0)
    downvotes = models.PositiveIntegerField(_("down votes"), default=0)
    score = models.IntegerField(_("votes"), default=0, help_text=_("Up votes minus down votes."))
    # RICE, set by staff; reach is counted from the voters.
    impact = models.PositiveSmallIntegerField(
        _("impact"), default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    confidence = models.DecimalField(
        _("confidence"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
    )
    effort = models.PositiveSmallIntegerField(
        _("effort"), default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_duplicates",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("feature request")
        verbose_name_plural = _("feature requests")
        ordering = ["-score", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=10), name="growth_feature_impact_1_10"),
            models.CheckConstraint(condition=Q(effort__gte=1, effort__lte=10), name="growth_feature_effort_1_10"),
        ]
        indexes = [
            # The board: the live requests (not merged), by votes or by age.
            models.Index(fields=["-score", "-created_at"], condition=Q(merged_into__isnull=True), name="growth_fr_top"),
            models.Index(fields=["-created_at"], condition=Q(merged_into__isnull=True), name="growth_fr_newest"),
            models.Index(fields=["status", "category"]),
        ]

    def __str__(self) -> str:
        return self.title


class FeatureVote(models.Model):
    """One person's vote on a request: +1 or -1; changing it updates the row, removing deletes it."""

    class Value(models.IntegerChoices):
        UP = 1, _("Up")
        DOWN = -1, _("Down")

    feature_request = models.ForeignKey(
        FeatureRequest, verbose_name=_("feature request"), on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="feature_votes"
    )
    value = models.SmallIntegerField(_("vote"), choices=Value.choices)
    created_at = models.DateTimeField(_("voted"), default=timezone.now)

    class Meta:
        verbose_name = _("feature vote")
        verbose_name_plural = _("feature votes")
        constraints = [
            models.UniqueConstraint(fields=["feature_request", "user"], name="growth_one_vote_per_person"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="growth_vote_up_or_down"),
        ]
        indexes = [models.Index(fields=["feature_request", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.value:+d} {self.feature_request}"


class FeatureComment(models.Model):
    feature_request = models.ForeignKey(
        FeatureRequest, verbose_name=_("feature request"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("feature comment")
        verbose_name_plural = _("feature comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["feature_request", "created_at"])]

    def __str__(self) -> str:
        return self.body[:60]
