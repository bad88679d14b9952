from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from config.admin_lists import LargeTableAdmin, choices_filter
from insights.event_names import EventName
from insights.models import Event


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
