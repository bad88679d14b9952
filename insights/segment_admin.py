"""Customer segments and tiers in the ops console: read-only rows, filterable, recomputed through the service."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from insights.segment_models import CustomerProfile
from insights.services.segments import customer_profiles_recompute
from teams.admin import ReadOnlyAdmin


@admin.register(CustomerProfile)
class CustomerProfileAdmin(ReadOnlyAdmin):
    list_display = ["user", "segment", "tier", "lifetime_value", "last_active_at", "recomputed_at"]
    list_filter = ["segment", "tier"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in CustomerProfile._meta.fields]
    actions = ["recompute_all"]

    # Rows are the nightly recompute's output, never typed in.

    def has_recompute_permission(self, request: HttpRequest) -> bool:
        # Rows are never edited here, but recomputing them is a change: it needs the change permission.
        return request.user.has_perm("insights.change_customerprofile")

    @admin.display(description=_("lifetime value"), ordering="lifetime_value_cents")
    def lifetime_value(self, obj: CustomerProfile) -> str:
        return f"{obj.lifetime_value:,.2f}"

    @admin.action(description=_("Recompute everyone's segment and tier now"), permissions=["recompute"])
    def recompute_all(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = customer_profiles_recompute()
        self.message_user(
            request,
            ngettext("%(count)d profile recomputed.", "%(count)d profiles recomputed.", count) % {"count": count},
            messages.SUCCESS,
        )
