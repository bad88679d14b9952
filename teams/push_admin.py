"""Web push in the ops console: the browsers people subscribed, and each push with its figures per kind."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.admin_lists import LargeTableAdmin
from teams.models import PushDelivery, PushSubscription
from teams.selectors import push_stats_by_kind
from teams.services import push_subscription_delete

STATS_DAYS = 30


@admin.register(PushSubscription)
class PushSubscriptionAdmin(LargeTableAdmin):
    list_display = ["user", "push_service", "user_agent", "created_at", "last_success_at"]
    list_select_related = ["user"]
    list_filter = ["created_at"]
    search_email_fields = ("user__email",)
    # The endpoint is a capability (with the keys, anyone could push to that browser): not shown whole.
    fields = ["user", "push_service", "user_agent", "created_at", "last_success_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # browsers subscribe themselves

    def has_change_permission(self, request: HttpRequest, obj: PushSubscription | None = None) -> bool:
        return False

    @admin.display(description=_("push service"))
    def push_service(self, obj: PushSubscription) -> str:
        return urlsplit(obj.endpoint).hostname or ""

    # Deleting (one, or the selected ones) forgets the browser through the service.
    def delete_model(self, request: HttpRequest, obj: PushSubscription) -> None:
        push_subscription_delete(subscription=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PushSubscription]) -> None:
        for subscription in queryset:
            push_subscription_delete(subscription=subscription, actor=request.user)


@admin.register(PushDelivery)
class PushDeliveryAdmin(LargeTableAdmin):
    list_display = ["created_at", "user", "kind", "status", "response_status", "sent_at", "shown_at", "clicked_at"]
    list_select_related = ["user"]
    list_filter = ["kind", "status", "created_at"]
    search_email_fields = ("user__email",)
    fields = [
        "user",
        "kind",
        "params",
        "target_url",
        "status",
        "attempts",
        "response_status",
        "error",
        "created_at",
        "sent_at",
        "shown_at",
        "clicked_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # written by teams.services.notification_send

    def has_change_permission(self, request: HttpRequest, obj: PushDelivery | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: PushDelivery | None = None) -> bool:
        return False  # the record of what was sent

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        since = timezone.now() - timedelta(days=STATS_DAYS)
        stats = {"push_stats": push_stats_by_kind(since=since), "stats_days": STATS_DAYS}
        extra_context = {**(extra_context or {}), **stats}
        return super().changelist_view(request, extra_context)
