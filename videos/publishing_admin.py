"""The ops console for scheduled publishing: publications with every platform's result, filters by
status, platform and date; cancel and retry through the services (an unknown outcome needs the
operator's confirmation first, on a page of its own)."""

from collections.abc import Callable

from allauth.socialaccount.models import SocialToken
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.errors import DomainError
from videos.publishing_models import Platform, Publication, PublicationTarget
from videos.services.publishing import publication_cancel, publication_retry

# Access tokens are never shown, not even to staff (allauth's own admin lists them).
if admin.site.is_registered(SocialToken):
    admin.site.unregister(SocialToken)


class TargetInline(admin.TabularInline):
    model = PublicationTarget
    extra = 0
    can_delete = False
    fields = [
        "platform", "status", "remote_id", "public_url", "error_message", "error_action", "attempts",
        "next_attempt_at", "published_at",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PlatformFilter(admin.SimpleListFilter):
    title = _("platform")
    parameter_name = "platform"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return list(Platform.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Publication]) -> QuerySet[Publication]:
        if self.value() in Platform.values:
            return queryset.filter(targets__platform=self.value()).distinct()
        return queryset


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "owner", "team", "status", "platforms", "scheduled_at", "time_zone", "finished_at"]
    list_filter = ["status", PlatformFilter, "targets__status", "scheduled_at"]
    search_fields = ["video__title", "owner__email", "=id"]
    list_select_related = ["video", "owner", "team"]
    date_hierarchy = "scheduled_at"
    readonly_fields = [f.name for f in Publication._meta.fields if f.name != "id"]
    inlines = [TargetInline]
    actions = ["cancel", "retry"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Publication]:
        return super().get_queryset(request).prefetch_related("targets")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people schedule their own videos, on their linked accounts

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Nothing is edited here; the actions below change publications through the services.
        return super().has_change_permission(request, obj) if obj is None else False

    @admin.display(description=_("platforms"))
    def platforms(self, publication: Publication) -> str:
        return ", ".join(f"{t.get_platform_display()}: {t.get_status_display()}" for t in publication.targets.all())

    def _each(self, request: HttpRequest, queryset: QuerySet[Publication], service: Callable[..., object]) -> int:
        count = 0
        for publication in queryset:
            try:
                service(publication=publication)
                count += 1
            except DomainError as exc:
                self.message_user(request, f"{publication}: {exc.message}", messages.WARNING)
        return count

    @admin.action(description=_("Cancel scheduled publications"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Publication]) -> None:
        count = self._each(request, queryset, publication_cancel)
        self.message_user(
            request,
            ngettext("%(count)d publication cancelled.", "%(count)d publications cancelled.", count) % {"count": count},
        )

    @admin.action(description=_("Retry failed platforms"), permissions=["change"])
    def retry(self, request: HttpRequest, queryset: QuerySet[Publication]) -> HttpResponse | None:
        confirmed = request.POST.get("confirm_unknown") == "yes"
        unknown = list(
            PublicationTarget.objects.filter(publication__in=queryset, status=PublicationTarget.Status.UNKNOWN)
            .select_related("publication__video")
            .order_by("publication_id", "platform")
        )
        if unknown and "confirm_step" not in request.POST:
            # Retrying an unknown outcome may post twice: the operator confirms they checked, first.
            context = {
                **self.admin_site.each_context(request),
                "title": _("Retry publications with an unknown outcome?"),
                "unknown": unknown,
                "queryset": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/videos/publication/retry_confirm.html", context)

        def retry(*, publication: Publication) -> object:
            return publication_retry(publication=publication, confirm_unknown=confirmed)

        count = self._each(request, queryset, retry)
        self.message_user(
            request,
            ngettext("%(count)d publication retried.", "%(count)d publications retried.", count) % {"count": count},
        )
        return None
