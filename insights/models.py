from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insights.event_names import EventName


class Event(models.Model):
    """One domain event, written in the same transaction as the change that caused it."""

    name = models.CharField(_("name"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("subject type"), null=True, blank=True, on_delete=models.SET_NULL
    )
    subject_id = models.CharField(_("subject id"), max_length=64, blank=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Public events are delivered to webhooks."))
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["name", "occurred_at"]),
            models.Index(fields=["actor", "occurred_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
            models.Index(fields=["occurred_at"]),
            # The ops console looks events up by subject id alone ("what happened to video 42").
            models.Index(fields=["subject_id"], name="insights_event_subject_id"),
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.occurred_at:%Y-%m-%d %H:%M:%S}"

    @property
    def label(self) -> str:
        """The event's human name in the active language."""
        try:
            return str(EventName(self.name).label)
        except ValueError:
            return self.name


# Models kept in their own modules, imported here so Django finds them (one line per module, so that
# parallel work adds lines instead of editing one).
from insights.engagement_models import CreatorDailyStat, PlayerViewerDay, VideoDailyStat, VideoEngagementTotal  # noqa: E402, F401
from insights.health_models import HealthCheckResult  # noqa: E402, F401
from insights.incident_models import (  # noqa: E402, F401
    ActionItem,
    EscalationStep,
    Incident,
    IncidentEscalation,
    IncidentUpdate,
    PostMortem,
    Severity,
)
from insights.metrics_models import AcquisitionSpend, BIDashboard, DailySnapshot  # noqa: E402, F401
from insights.monitoring_models import AlertEpisode, AlertRule, DailyCost, RetrospectiveSend, RouteTiming  # noqa: E402, F401
from insights.nps_models import CustomerSuccessTask, NpsAssignmentCursor, NpsResponse, NpsSurveyState  # noqa: E402, F401
from insights.segment_models import CustomerProfile  # noqa: E402, F401
from insights.status_models import HealthCheckDay, Maintenance, StatusSubscriber  # noqa: E402, F401
from insights.support_models import SupportMessage, SupportRequest  # noqa: E402, F401
from insights.webhook_models import WebhookDelivery, WebhookEndpoint  # noqa: E402, F401
