"""Preview features and their waitlists in the ops console: invite the next people in batches."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.errors import DomainError
from growth.services.waitlist import feature_flag_disable, preview_feature_save, waitlist_invite_next
from growth.waitlist_models import FeatureFlag, PreviewFeature, WaitlistEntry
from teams.admin import ReadOnlyAdmin, ThroughServices


class InviteActionForm(ActionForm):
    count = forms.IntegerField(label=_("How many"), min_value=1, max_value=500, initial=10, required=False)


@admin.register(PreviewFeature)
class PreviewFeatureAdmin(ThroughServices, admin.ModelAdmin):
    list_display = ["name", "key", "is_open", "waiting_count", "invited_count", "created_at"]
    list_filter = ["is_open"]
    search_fields = ["name", "key"]
    fields = ["key", "name", "description", "is_open"]
    action_form = InviteActionForm
    actions = ["invite_next_action"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PreviewFeature]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                waiting=Count("entries", filter=Q(entries__invited_at__isnull=True)),
                invited=Count("entries", filter=Q(entries__invited_at__isnull=False)),
            )
        )

    @admin.display(description=_("waiting"), ordering="waiting")
    def waiting_count(self, obj: PreviewFeature) -> int:
        return obj.waiting  # type: ignore[attr-defined]

    @admin.display(description=_("invited"), ordering="invited")
    def invited_count(self, obj: PreviewFeature) -> int:
        return obj.invited  # type: ignore[attr-defined]

    def has_delete_permission(self, request: HttpRequest, obj: PreviewFeature | None = None) -> bool:
        return False  # close the waitlist instead; invited people keep the feature

    def save_model(self, request: HttpRequest, obj: PreviewFeature, form: Any, change: bool) -> None:
        preview_feature_save(feature=obj)

    @admin.action(description=_("Invite the next people in line (how many: below)"), permissions=["change"])
    def invite_next_action(self, request: HttpRequest, queryset: QuerySet[PreviewFeature]) -> None:
        try:
            count = int(request.POST.get("count") or 10)
        except ValueError:
            count = 10
        for feature in queryset:
            try:
                invited = waitlist_invite_next(feature=feature, count=count, actor=request.user)
            except DomainError as error:
                self.message_user(request, f"{feature}: {error.message}", messages.WARNING)
                continue
            self.message_user(
                request,
                ngettext(
                    "%(feature)s: %(count)d person invited.", "%(feature)s: %(count)d people invited.", len(invited)
                )
                % {"feature": feature.name, "count": len(invited)},
                messages.SUCCESS,
            )


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ["user", "feature", "joined_at", "invited_at"]
    list_filter = ["feature", ("invited_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__email"]
    list_select_related = ["user", "feature"]


@admin.register(FeatureFlag)
class FeatureFlagAdmin(admin.ModelAdmin):
    list_display = ["key", "user", "enabled_at"]
    list_filter = ["key"]
    search_fields = ["key", "user__email"]
    list_select_related = ["user"]
    actions = ["switch_off_action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Only the action below (through the service) switches flags off, never the delete page.
        return obj is None and super().has_delete_permission(request)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description=_("Switch the feature off for these accounts"), permissions=["delete"])
    def switch_off_action(self, request: HttpRequest, queryset: QuerySet[FeatureFlag]) -> None:
        count = feature_flag_disable(flags=queryset)
        self.message_user(request, _("%(count)d flags switched off.") % {"count": count}, messages.SUCCESS)
