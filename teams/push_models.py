"""Web push: the browsers people allowed to notify them, and each push sent to one (imported by teams.models)."""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.encryption import seal, unseal

KEYS_PURPOSE = "push-subscription-keys"


def endpoint_digest(endpoint: str) -> str:
    """The lookup key of an endpoint URL (they can be longer than an index allows)."""
    return hashlib.sha256(endpoint.strip().encode()).hexdigest()


class PushSubscription(models.Model):
    """One browser's push subscription (the Push API's `PushSubscription`), for one person.

    The endpoint is the push service's URL for that browser; the keys (`p256dh`, the browser's
    public key, and the `auth` secret) encrypt every message to it, so they are sealed at rest.
    A person may have several browsers; one browser belongs to whoever subscribed it last.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(_("endpoint"), max_length=2000)
    endpoint_hash = models.CharField(_("endpoint hash"), max_length=64, unique=True, editable=False)
    p256dh_sealed = models.TextField(_("browser key (encrypted)"), editable=False)
    auth_sealed = models.TextField(_("auth secret (encrypted)"), editable=False)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="teams_push_sub_user")]

    def __str__(self) -> str:
        # Never the whole endpoint: with the keys it is the capability to push to that browser.
        return f"{self.user_id} · {self.user_agent[:60] or urlsplit(self.endpoint).hostname}"

    @property
    def p256dh(self) -> str:
        return unseal(self.p256dh_sealed, purpose=KEYS_PURPOSE)

    @property
    def auth(self) -> str:
        return unseal(self.auth_sealed, purpose=KEYS_PURPOSE)

    def set_keys(self, *, p256dh: str, auth: str) -> None:
        self.p256dh_sealed = seal(p256dh, purpose=KEYS_PURPOSE)
        self.auth_sealed = seal(auth, purpose=KEYS_PURPOSE)

    def subscription_info(self) -> dict:
        """The shape pywebpush (and the browser's `PushSubscription.toJSON()`) uses."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushDelivery(models.Model):
    """One notification pushed to one browser: the task's work item and the sent → shown → clicked record.

    The kind, parameters and link are copied from the notification, because a person may keep
    notifications out of the inbox and still want them pushed. The row outlives its subscription
    (set to empty when the push service says the browser is gone), so the figures stay whole.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        GONE = "gone", _("Browser gone (404/410)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="push_deliveries"
    )
    subscription = models.ForeignKey(
        PushSubscription,
        verbose_name=_("subscription"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliveries",
    )
    kind = models.CharField(_("kind"), max_length=40)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    target_url = models.CharField(_("link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True, editable=False)
    response_status = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    shown_at = models.DateTimeField(_("shown"), null=True, blank=True)
    clicked_at = models.DateTimeField(_("clicked"), null=True, blank=True)

    class Meta:
        verbose_name = _("push delivery")
        verbose_name_plural = _("push deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The ops console's figures per kind, and its list filtered by kind.
            models.Index(fields=["kind", "-created_at", "-id"], name="teams_push_delivery_kind"),
            models.Index(fields=["user", "-created_at", "-id"], name="teams_push_delivery_user"),
            # The sweeper's query: pending deliveries by age.
            models.Index(fields=["status", "created_at"], name="teams_push_delivery_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.user_id} ({self.status})"
