from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.admin_lists import LargeTableAdmin, choices_filter
from config.errors import DomainError
from insights.event_names import EventName
from insights.models import Event, WebhookDelivery, WebhookEndpoint
from insights.services import (
    webhook_delivery_redeliver,
    webhook_endpoint_delete,
    webhook_endpoint_send_test,
    webhook_endpoint_update,
)


@admin.register(Event)
class EventAdmin(LargeTableAdmin):
    list_display = ["occurred_at", "name", "actor", "subject_type", "subject_id", "is_public"]
    # The known names, not the distinct names of a million rows.
    list_filter = ["is_public", choices_filter("name", _("name"), EventName.choices), "subject_type", "occurred_at"]
    # Exact matches, each answered by an index: (name, occurred_at) and (subject_id).
    search_exact_fields = ("name", "subject_id")
    search_email_fields = ("actor__email",)
    search_help_text = _("An event name (video.created), a subject id, or the actor's e-mail address.")
    list_select_related = ["actor", "subject_type"]
    readonly_fields = [f.name for f in Event._meta.fields]

    # The event log is append-only: it is evidence, not something staff edit.
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class WebhookEndpointAdmin(admin.ModelAdmin):
    """Endpoints are registered by their owners (pages, API); staff inspect them, turn them off or on,
    send a test and delete them, always through the services."""

    list_display = ["url", "owner", "team", "is_active", "disabled_reason", "failing_since", "created_at"]
    list_filter = ["is_active", "disabled_reason"]
    search_fields = ["url", "owner__email", "team__slug"]
    list_select_related = ["owner", "team"]
    raw_id_fields = ["owner", "team"]
    readonly_fields = [
        "owner", "team", "url", "description", "event_types", "is_active", "disabled_reason", "disabled_at",
        "failing_since", "previous_secret_expires_at", "created_at", "updated_at",
    ]  # fmt: skip
    exclude = ["secret_sealed", "previous_secret_sealed"]
    actions = ["turn_off", "turn_on", "send_test", "delete_with_log"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deletion goes through the service (delete_with_log)
        return actions

    def delete_model(self, request: HttpRequest, obj: WebhookEndpoint) -> None:
        webhook_endpoint_delete(endpoint=obj, actor=request.user)

    def _each(self, request: HttpRequest, queryset: QuerySet, call: Callable[[WebhookEndpoint], object]) -> None:
        count = 0
        for endpoint in queryset.select_related("team"):
            try:
                call(endpoint)
                count += 1
            except DomainError as exc:
                self.message_user(request, f"{endpoint}: {exc.message}", messages.ERROR)
        self.message_user(
            request, ngettext("%(count)d endpoint done.", "%(count)d endpoints done.", count) % {"count": count}
        )

    @admin.action(description=_("Turn off"), permissions=["change"])
    def turn_off(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request, queryset, lambda e: webhook_endpoint_update(endpoint=e, actor=request.user, is_active=False)
        )

    @admin.action(description=_("Turn on again"), permissions=["change"])
    def turn_on(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, lambda e: webhook_endpoint_update(endpoint=e, actor=request.user, is_active=True))

    @admin.action(description=_("Send a test event"), permissions=["change"])
    def send_test(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, lambda e: webhook_endpoint_send_test(endpoint=e, actor=request.user))

    @admin.action(description=_("Delete endpoints with their delivery logs"), permissions=["delete"])
    def delete_with_log(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(request, queryset, lambda e: webhook_endpoint_delete(endpoint=e, actor=request.user))


class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The delivery log: read-only evidence; a delivery can be sent again."""

    list_display = ["created_at", "event_type", "endpoint", "status", "attempts", "response_status", "duration_ms"]
    list_filter = ["status", "event_type"]
    search_fields = ["message_id", "endpoint__url"]
    list_select_related = ["endpoint"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields if f.name != "claimed_until"]
    exclude = ["claimed_until"]
    actions = ["redeliver"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Send again (same webhook-id)"), permissions=["change"])
    def redeliver(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = 0
        for delivery in queryset.select_related("endpoint__team"):
            try:
                webhook_delivery_redeliver(delivery=delivery, actor=request.user)
                count += 1
            except DomainError as exc:
                self.message_user(request, f"{delivery}: {exc.message}", messages.ERROR)
        message = ngettext("%(count)d delivery queued again.", "%(count)d deliveries queued again.", count)
        self.message_user(request, message % {"count": count})


admin.site.register(WebhookEndpoint, WebhookEndpointAdmin)
admin.site.register(WebhookDelivery, WebhookDeliveryAdmin)


# Admin modules of their own, imported for their registrations (one line each, so parallel work
# adds lines instead of editing one).
# isort: off
from insights import incident_admin  # noqa: E402, F401
from insights import metrics_admin  # noqa: E402, F401
from insights import monitoring_admin  # noqa: E402, F401
from insights import nps_admin  # noqa: E402, F401
from insights import segment_admin  # noqa: E402, F401
from insights import support_admin  # noqa: E402, F401
# isort: on
