"""Webhook endpoints and the outbox of their deliveries (imported by insights.models)."""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.encryption import seal, unseal

SECRET_PURPOSE = "webhook-secret"  # noqa: S105 (the encryption key's purpose label, not a secret)


class WebhookEndpoint(models.Model):
    """A URL that receives chosen public events, signed with its own secret (Standard Webhooks).

    A personal endpoint (no team) hears about the owner's own things; a team's endpoint about the
    team's, and is managed by its owners and admins. `owner` is who registered it.
    """

    class DisabledReason(models.TextChoices):
        MANUAL = "manual", _("Turned off")
        GONE = "gone", _("The endpoint answered 410 Gone")
        FAILING = "failing", _("Failed for 5 days")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    team = models.ForeignKey(
        "teams.Team",
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    url = models.URLField(_("URL"), max_length=2000)
    description = models.CharField(_("description"), max_length=200, blank=True)
    event_types = models.JSONField(_("event types"), default=list)
    secret_sealed = models.TextField(_("secret (encrypted)"), editable=False)
    previous_secret_sealed = models.TextField(_("previous secret (encrypted)"), blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(_("previous secret valid until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    disabled_reason = models.CharField(_("disabled because"), max_length=20, choices=DisabledReason, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    failing_since = models.DateTimeField(
        _("failing since"), null=True, blank=True, help_text=_("The first failure since the last success.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "team", "created_at"]),
            models.Index(fields=["team", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.url

    @property
    def secret(self) -> str:
        return unseal(self.secret_sealed, purpose=SECRET_PURPOSE)

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_sealed = seal(value, purpose=SECRET_PURPOSE)

    def signing_secrets(self, *, now: object = None) -> list[str]:
        """The current secret, and the previous one while its overlap lasts."""
        now = now or timezone.now()
        secrets = [self.secret]
        if self.previous_secret_sealed and self.previous_secret_expires_at and self.previous_secret_expires_at > now:
            secrets.append(unseal(self.previous_secret_sealed, purpose=SECRET_PURPOSE))
        return secrets


class WebhookDelivery(models.Model):
    """One event (or test) for one endpoint: the outbox row, written with the event, and its outcome.

    `message_id` is the Standard Webhooks `webhook-id`; a redelivery is a new row with the same
    message id and body, so receivers can de-duplicate.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.ForeignKey(
        "insights.Event", verbose_name=_("event"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message_id = models.CharField(_("webhook id"), max_length=64)
    event_type = models.CharField(_("event type"), max_length=64)
    payload = models.JSONField(_("payload"), encoder=DjangoJSONEncoder)
    body = models.TextField(_("body"), help_text=_("The exact JSON sent, so every attempt signs the same bytes."))
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True, editable=False)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    response_status = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    response_body = models.TextField(_("response"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    redelivery_of = models.ForeignKey(
        "self", verbose_name=_("redelivery of"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweeper's query: pending deliveries that are due.
            models.Index(fields=["status", "next_attempt_at"], name="insights_wh_due"),
            # An endpoint's recent deliveries (its page and the API list).
            models.Index(fields=["endpoint", "-created_at", "-id"], name="insights_wh_endpoint_recent"),
            models.Index(fields=["message_id"], name="insights_wh_message"),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"
