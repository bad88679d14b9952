from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from billing.models import (
    Coupon,
    CouponRedemption,
    Credit,
    Customer,
    Payment,
    Plan,
    Subscription,
    UsageCounter,
    WebhookEvent,
)
from billing.services.offers import coupon_deactivate, credit_grant
from billing.services.subscriptions import subscription_cancel
from config.admin_lists import LargeTableAdmin
from config.errors import DomainError


@admin.register(Plan)
class PlanAdmin(TranslationAdmin):
    list_display = [
        "name",
        "code",
        "rank",
        "is_default",
        "is_public",
        "monthly_price_cents",
        "annual_price_cents",
        "currency",
        "videos_per_month",
        "versions_kept",
        "branding",
        "pro_templates",
        "export_batch_size",
        "team_seats",
    ]
    list_filter = ["is_public", "is_default", "branding", "pro_templates"]
    search_fields = ["code", "name"]
    fieldsets = [
        (None, {"fields": ["code", "name", "description", "rank", "is_default", "is_public"]}),
        (_("Prices"), {"fields": ["currency", "monthly_price_cents", "annual_price_cents", "trial_days"]}),
        (_("Stripe"), {"fields": ["stripe_price_monthly", "stripe_price_annual"]}),
        (
            _("Limits (empty = unlimited)"),
            {
                "fields": [
                    "videos_per_month",
                    "versions_kept",
                    "upload_size_mb",
                    "branding",
                    "pro_templates",
                    "export_batch_size",
                    "bulk_rows_per_job",
                    "team_seats",
                    "api_rate_per_hour",
                    "publications_per_month",
                ]
            },
        ),
    ]


def _run_each(modeladmin: admin.ModelAdmin, request: HttpRequest, items, function, done: str) -> None:  # type: ignore[no-untyped-def]
    count = 0
    for item in items:
        try:
            function(item)
        except DomainError as error:
            modeladmin.message_user(request, f"{item}: {error.message}", messages.WARNING)
        else:
            count += 1
    modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "plan",
        "interval",
        "status",
        "provider",
        "current_period_end",
        "cancel_at_period_end",
        "created_at",
    ]
    list_filter = ["status", "plan", "interval", "provider", "cancel_at_period_end"]
    search_fields = ["user__email", "provider_subscription_id"]
    date_hierarchy = "created_at"
    list_select_related = ["user", "plan"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "updated_at", "canceled_at", "ended_at", "past_due_since"]
    actions = ["cancel_at_period_end_action", "cancel_now_action", "grant_free_month_action"]

    # Subscriptions are written by billing.services (checkout, provider webhooks, the actions below);
    # the form only shows one. "change" on the list is what the actions need.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Subscription | None = None) -> bool:
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Subscription | None = None) -> bool:
        return False

    @admin.action(description=_("Cancel at period end"), permissions=["change"])
    def cancel_at_period_end_action(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        _run_each(
            self,
            request,
            queryset.select_related("plan"),
            lambda s: subscription_cancel(subscription=s, actor=request.user),
            _("%(count)d subscriptions set to end at period end."),
        )

    @admin.action(description=_("Cancel immediately"), permissions=["change"])
    def cancel_now_action(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        _run_each(
            self,
            request,
            queryset.select_related("plan"),
            lambda s: subscription_cancel(subscription=s, actor=request.user, immediately=True),
            _("%(count)d subscriptions cancelled."),
        )

    @admin.action(description=_("Grant one free month of the plan"), permissions=["change"])
    def grant_free_month_action(self, request: HttpRequest, queryset: QuerySet[Subscription]) -> None:
        _run_each(
            self,
            request,
            queryset.select_related("plan", "user"),
            lambda s: credit_grant(
                user=s.user, months=1, plan=s.plan, reason=str(_("Granted by staff")), granted_by=request.user
            ),
            _("%(count)d credits granted."),
        )


@admin.register(Payment)
class PaymentAdmin(LargeTableAdmin):
    list_display = ["created_at", "user", "plan", "amount_cents", "currency", "status", "provider", "attempts"]
    list_filter = ["status", "provider", "created_at"]
    search_exact_fields = ("provider_invoice_id",)
    search_email_fields = ("user__email",)
    search_help_text = _("The customer's e-mail address, or the provider's invoice id.")
    list_select_related = ["user", "plan"]
    raw_id_fields = ["user", "subscription"]

    readonly_fields = [f.name for f in Payment._meta.fields]

    # Money is history: providers and billing.services write it, staff read it.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Payment | None = None) -> bool:
        return False


class CouponRedemptionInline(admin.TabularInline):
    model = CouponRedemption
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["user", "redeemed_at", "valid_until", "invoices_applied"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "percent_off",
        "amount_off_cents",
        "duration",
        "duration_in_months",
        "times_redeemed",
        "max_redemptions",
        "redeem_by",
        "is_active",
    ]
    list_filter = ["is_active", "duration"]
    search_fields = ["code", "name"]
    readonly_fields = ["times_redeemed"]
    inlines = [CouponRedemptionInline]
    actions = ["deactivate"]

    @admin.action(description=_("Deactivate"), permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Coupon]) -> None:
        count = coupon_deactivate(coupons=queryset)
        self.message_user(
            request,
            ngettext("%(count)d coupon deactivated.", "%(count)d coupons deactivated.", count) % {"count": count},
        )


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    list_display = ["created_at", "user", "plan", "months", "months_remaining", "reason", "granted_by", "used_up_at"]
    list_filter = ["plan", "created_at"]
    search_fields = ["user__email", "reason"]
    list_select_related = ["user", "plan", "granted_by"]
    raw_id_fields = ["user"]
    fields = ["user", "plan", "months", "reason"]

    def get_readonly_fields(self, request: HttpRequest, obj: Credit | None = None) -> list[str]:
        return ["user", "plan", "months", "reason"] if obj else []

    def save_model(self, request: HttpRequest, obj: Credit, form: object, change: bool) -> None:
        if change:
            return
        # Granting goes through the service, which also applies the credit (or starts the free months).
        credit = credit_grant(
            user=obj.user, months=obj.months, plan=obj.plan, reason=obj.reason, granted_by=request.user
        )
        obj.pk = credit.pk


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "provider_customer_id", "created_at"]
    list_filter = ["provider"]
    search_fields = ["user__email", "provider_customer_id"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]

    # The provider's id for the payer, stored by checkout: a hand-typed one would charge someone else.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Customer | None = None) -> bool:
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["received_at", "provider", "type", "event_id", "result"]
    list_filter = ["provider", "type", "received_at"]
    search_fields = ["event_id", "type", "result"]
    date_hierarchy = "received_at"
    readonly_fields = ["provider", "event_id", "type", "payload", "result", "received_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(UsageCounter)
class UsageCounterAdmin(admin.ModelAdmin):
    """What each account used per month; written only by the actions it counts (usage_record)."""

    list_display = ["period_start", "account", "kind", "count", "updated_at"]
    list_filter = ["kind", "period_start"]
    search_fields = ["user__email", "team__name", "team__slug"]
    date_hierarchy = "period_start"
    list_select_related = ["user", "team"]
    readonly_fields = ["user", "team", "kind", "period_start", "count", "updated_at"]

    @admin.display(description=_("account"))
    def account(self, counter: UsageCounter) -> str:
        return str(counter.account)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # a deleted counter would hand the month's places back
