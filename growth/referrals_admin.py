"""The referral programme in the ops console: codes with their funnel, referrals, fraud flags."""

from django.contrib import admin
from django.db.models import OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from growth.counting import count_of
from growth.referral_models import Referral, ReferralCode, ReferralFlag, ReferralVisit
from growth.referral_selectors import referral_programme_stats
from teams.admin import ReadOnlyAdmin

Status = Referral.Status


@admin.register(ReferralCode)
class ReferralCodeAdmin(ReadOnlyAdmin):
    change_list_template = "admin/growth/referralcode/change_list.html"
    list_display = ["code", "user", "visit_count", "signup_count", "paid_count", "created_at"]
    search_fields = ["code", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReferralCode]:
        return (
            super()
            .get_queryset(request)
            # Subqueries, not joins: counting visits and referrals over one join would multiply the rows.
            .annotate(
                visit_total=count_of(ReferralVisit.objects.filter(code=OuterRef("pk")), by="code"),
                signup_total=count_of(
                    Referral.objects.filter(code=OuterRef("pk")).exclude(status=Status.REFUSED), by="code"
                ),
                paid_total=count_of(Referral.objects.filter(code=OuterRef("pk"), status=Status.REWARDED), by="code"),
            )
        )

    @admin.display(description=_("clicks"), ordering="visit_total")
    def visit_count(self, obj: ReferralCode) -> int:
        return obj.visit_total  # type: ignore[attr-defined]

    @admin.display(description=_("signups"), ordering="signup_total")
    def signup_count(self, obj: ReferralCode) -> int:
        return obj.signup_total  # type: ignore[attr-defined]

    @admin.display(description=_("paid"), ordering="paid_total")
    def paid_count(self, obj: ReferralCode) -> int:
        return obj.paid_total  # type: ignore[attr-defined]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        extra_context = {**(extra_context or {}), "programme": referral_programme_stats()}
        return super().changelist_view(request, extra_context)


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["referrer", "referee", "code", "status", "created_at", "rewarded_at", "refused_reason"]
    list_filter = ["status"]
    search_fields = ["referrer__email", "referee__email", "code__code"]
    list_select_related = ["referrer", "referee", "code"]
    date_hierarchy = "created_at"


@admin.register(ReferralFlag)
class ReferralFlagAdmin(ReadOnlyAdmin):
    list_display = ["code", "user", "reason", "created_at"]
    list_filter = ["reason"]
    search_fields = ["code__code", "user__email"]
    list_select_related = ["code", "user"]
