"""The support inbox: a person's requests and the thread of messages under each."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SupportRequest(models.Model):
    """What someone asked from the support form; staff triage it in the ops console."""

    class Category(models.TextChoices):
        ACCOUNT = "account", _("Account and sign-in")
        BILLING = "billing", _("Billing and plans")
        RENDERING = "rendering", _("Rendering and exports")
        PUBLISHING = "publishing", _("Publishing to platforms")
        TEAMS = "teams", _("Teams and sharing")
        BUG = "bug", _("Something is broken")
        QUESTION = "question", _("A question about a feature")
        OTHER = "other", _("Something else")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        WAITING = "waiting", _("Waiting for you")
        RESOLVED = "resolved", _("Resolved")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="support_requests"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    subject = models.CharField(_("subject"), max_length=140)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="support_assignments",
    )
    screenshot = models.FileField(_("screenshot"), max_length=200, blank=True)
    page_url = models.CharField(_("page"), max_length=300, blank=True, help_text=_("Where the form was opened from."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last activity"), default=timezone.now)

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["user", "-updated_at"], name="insights_support_user"),
            models.Index(fields=["status", "-updated_at"], name="insights_support_status"),
            models.Index(fields=["created_at", "category"], name="insights_support_created"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"


class SupportMessage(models.Model):
    """One message of a request's thread: the person's first message, staff replies, follow-ups."""

    request = models.ForeignKey(
        SupportRequest, verbose_name=_("support request"), on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_staff = models.BooleanField(_("from staff"), default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("support message")
        verbose_name_plural = _("support messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["request", "created_at"], name="insights_support_msg")]

    def __str__(self) -> str:
        return f"Message {self.pk} on #{self.request_id}"
