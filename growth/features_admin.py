"""Feature requests in the ops console: the RICE ranking, status changes that notify voters, merging."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.errors import DomainError
from growth.feature_models import FeatureRequest
from growth.feature_selectors import feature_request_rice
from growth.services.features import feature_request_create, feature_request_update, feature_requests_merge
from teams.admin import ThroughServices

RICE_FIELDS = ("impact", "confidence", "effort")


class ReachFilter(admin.SimpleListFilter):
    """Reach as plain voters, or with voters on a paid plan counted more (GROWTH_RICE_PAID_VOTER_WEIGHT)."""

    title = _("reach")
    parameter_name = "reach"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("weighted", _("Weighted by plan"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset  # the weighting is in FeatureRequestAdmin.get_queryset


class MergedFilter(admin.SimpleListFilter):
    title = _("merged")
    parameter_name = "merged"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, Any]]:
        return [("no", _("Live requests")), ("yes", _("Merged duplicates"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "no":
            return queryset.filter(merged_into__isnull=True)
        if self.value() == "yes":
            return queryset.filter(merged_into__isnull=False)
        return queryset


@admin.register(FeatureRequest)
class FeatureRequestAdmin(ThroughServices, admin.ModelAdmin):
    list_display = [
        "title",
        "status",
        "category",
        "reach_display",
        "impact",
        "confidence",
        "effort",
        "rice_display",
        "score",
        "merged_into",
        "created_at",
    ]
    list_editable = ["impact", "confidence", "effort"]
    list_filter = [ReachFilter, MergedFilter, "status", "category"]
    search_fields = ["title", "description"]
    list_select_related = ["merged_into"]
    fields = ["title", "description", "category", "status", *RICE_FIELDS]
    readonly_fields = ["author", "upvotes", "downvotes", "score", "merged_into", "created_at"]
    actions = [
        "merge_action",
        "mark_planned_action",
        "mark_in_progress_action",
        "mark_shipped_action",
        "mark_declined_action",
    ]

    def get_fields(self, request: HttpRequest, obj: FeatureRequest | None = None) -> list[str]:
        return list(self.fields) + (list(self.readonly_fields) if obj else [])

    def get_queryset(self, request: HttpRequest) -> QuerySet[FeatureRequest]:
        weighted = request.GET.get(ReachFilter.parameter_name) == "weighted"
        return feature_request_rice(weighted=weighted, include_merged=True).select_related("author", "merged_into")

    @admin.display(description=_("reach"), ordering="reach")
    def reach_display(self, obj: FeatureRequest) -> int:
        return obj.reach  # type: ignore[attr-defined]

    @admin.display(description=_("RICE score"), ordering="rice_score")
    def rice_display(self, obj: FeatureRequest) -> str:
        return f"{obj.rice_score:.1f}"  # type: ignore[attr-defined]

    def has_delete_permission(self, request: HttpRequest, obj: FeatureRequest | None = None) -> bool:
        return False  # decline or merge instead: voters keep their history

    def save_model(self, request: HttpRequest, obj: FeatureRequest, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            created = feature_request_create(
                author=request.user,
                title=data["title"],
                description=data.get("description", ""),
                category=data["category"],
            )
            created = feature_request_update(
                feature_request=created,
                actor=request.user,
                status=data.get("status"),
                **{name: data[name] for name in RICE_FIELDS if name in data},
            )
            obj.pk = created.pk
            return
        original = FeatureRequest.objects.get(pk=obj.pk)
        changed = {name: data[name] for name in form.changed_data if name in data}
        feature_request_update(feature_request=original, actor=request.user, **changed)

    @admin.action(description=_("Merge the selected duplicates into the most voted one"), permissions=["change"])
    def merge_action(self, request: HttpRequest, queryset: QuerySet[FeatureRequest]) -> None:
        chosen = list(queryset.filter(merged_into__isnull=True).order_by("-score", "created_at", "pk"))
        if len(chosen) < 2:
            self.message_user(request, _("Select at least two requests that are not merged yet."), messages.WARNING)
            return
        try:
            keep = feature_requests_merge(keep=chosen[0], duplicates=chosen[1:], actor=request.user)
        except DomainError as error:
            self.message_user(request, str(error.message), messages.ERROR)
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d request merged into “%(title)s”.",
                "%(count)d requests merged into “%(title)s”.",
                len(chosen) - 1,
            )
            % {"count": len(chosen) - 1, "title": keep.title},
            messages.SUCCESS,
        )

    def _set_status(self, request: HttpRequest, queryset: QuerySet[FeatureRequest], status: str) -> None:
        for feature_request in queryset:
            feature_request_update(feature_request=feature_request, actor=request.user, status=status)
        self.message_user(request, _("Status changed; voters are notified."), messages.SUCCESS)

    @admin.action(description=_("Mark as planned"), permissions=["change"])
    def mark_planned_action(self, request: HttpRequest, queryset: QuerySet[FeatureRequest]) -> None:
        self._set_status(request, queryset, FeatureRequest.Status.PLANNED)

    @admin.action(description=_("Mark as in progress"), permissions=["change"])
    def mark_in_progress_action(self, request: HttpRequest, queryset: QuerySet[FeatureRequest]) -> None:
        self._set_status(request, queryset, FeatureRequest.Status.IN_PROGRESS)

    @admin.action(description=_("Mark as shipped"), permissions=["change"])
    def mark_shipped_action(self, request: HttpRequest, queryset: QuerySet[FeatureRequest]) -> None:
        self._set_status(request, queryset, FeatureRequest.Status.SHIPPED)

    @admin.action(description=_("Mark as declined"), permissions=["change"])
    def mark_declined_action(self, request: HttpRequest, queryset: QuerySet[FeatureRequest]) -> None:
        self._set_status(request, queryset, FeatureRequest.Status.DECLINED)
