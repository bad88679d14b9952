"""The ops console for bulk jobs: status, owner, template and counts; cancel and retry through the services."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from teams.admin import ThroughServices
from videos.models import BulkJob
from videos.services.bulk import bulk_job_cancel, bulk_job_delete, bulk_job_retry_failed


@admin.register(BulkJob)
class BulkJobAdmin(ThroughServices, admin.ModelAdmin):
    list_display = [
        "label", "owner", "team", "template", "status", "quality", "row_count", "valid_count", "created_count",
        "rendered_count", "failed_count", "created_at", "finished_at",
    ]  # fmt: skip
    list_filter = ["status", "quality", "created_at"]
    search_fields = ["owner__email", "=id", "template__slug"]
    list_select_related = ["owner", "team", "template"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in BulkJob._meta.fields if f.name != "id"]
    actions = ["cancel", "retry_failed", "delete_with_media"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs are made by their owners, from a sheet

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # the stock bulk delete would leave the uploaded media in storage
        return actions

    def delete_model(self, request: HttpRequest, obj: BulkJob) -> None:
        bulk_job_delete(job=obj)

    @admin.action(description=_("Cancel the remaining rows of running jobs"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[BulkJob]) -> None:
        count = self.each_through_service(request, queryset, bulk_job_cancel, keyword="job")
        message = ngettext("%(count)d bulk job cancelled.", "%(count)d bulk jobs cancelled.", count)
        self.message_user(request, message % {"count": count})

    @admin.action(description=_("Try the failed rows again"), permissions=["change"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[BulkJob]) -> None:
        count = self.each_through_service(request, queryset, bulk_job_retry_failed, keyword="job")
        message = ngettext(
            "%(count)d bulk job tries its failed rows again.", "%(count)d bulk jobs try their failed rows again.", count
        )
        self.message_user(request, message % {"count": count})

    @admin.action(description=_("Delete bulk jobs with their uploaded media"), permissions=["delete"])
    def delete_with_media(self, request: HttpRequest, queryset: QuerySet[BulkJob]) -> None:
        count = self.each_through_service(request, queryset, bulk_job_delete, keyword="job")
        message = ngettext("%(count)d bulk job deleted.", "%(count)d bulk jobs deleted.", count)
        self.message_user(request, message % {"count": count})
