from django.contrib import admin

from insights.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "name", "actor", "subject_type", "subject_id", "is_public"]
    list_filter = ["is_public", "name", "subject_type"]
    search_fields = ["name", "actor__email", "subject_id"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor", "subject_type"]
    readonly_fields = [f.name for f in Event._meta.fields]

    # The event log is append-only: it is evidence, not something staff edit.
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
