"""The ops console for batch exports: status, size, owner; cancel and retry through the services."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from teams.admin import ThroughServices
from videos.models import ExportJob
from videos.services.exports import export_cancel, export_delete, export_retry


@admin.register(ExportJob)
class ExportJobAdmin(ThroughServices, admin.ModelAdmin):
    list_display = [
        "label", "owner", "status", "progress", "video_count", "size_bytes", "attempts", "created_at", "expires_at",
    ]  # fmt: skip
    list_filter = ["status", "created_at"]
    search_fields = ["owner__email", "=id"]
    list_select_related = ["owner"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in ExportJob._meta.fields if f.name != "id"] + ["videos"]
    exclude = ["claim_token"]
    actions = ["cancel", "retry", "delete_with_zip"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # exports are started by their owners, from the videos they may access

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # the stock bulk delete would leave the ZIPs in storage
        return actions

    def delete_model(self, request: HttpRequest, obj: ExportJob) -> None:
        export_delete(job=obj)

    @admin.action(description=_("Cancel exports still being prepared"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[ExportJob]) -> None:
        count = self.each_through_service(request, queryset, export_cancel, keyword="job")
        message = ngettext("%(count)d export cancelled.", "%(count)d exports cancelled.", count)
        self.message_user(request, message % {"count": count})

    @admin.action(description=_("Build failed or cancelled exports again"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[ExportJob]) -> None:
        count = self.each_through_service(request, queryset, export_retry, keyword="job")
        message = ngettext("%(count)d export queued again.", "%(count)d exports queued again.", count)
        self.message_user(request, message % {"count": count})

    @admin.action(description=_("Delete exports with their ZIPs"), permissions=["delete"])
    def delete_with_zip(self, request: HttpRequest, queryset: QuerySet[ExportJob]) -> None:
        count = self.each_through_service(request, queryset, export_delete, keyword="job")
        message = ngettext("%(count)d export deleted.", "%(count)d exports deleted.", count)
        self.message_user(request, message % {"count": count})
