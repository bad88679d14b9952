"""Money: plans with their limits, subscriptions, invoices/payments, coupons and credits."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.limits import Metered


class Interval(models.TextChoices):
    MONTH = "month", _("Monthly")
    YEAR = "year", _("Annual")


class Provider(models.TextChoices):
    MANUAL = "manual", _("Manual (built in)")
    STRIPE = "stripe", _("Stripe")


class Plan(models.Model):
    """A plan and its limits. Limit fields are named like `billing.limits.Limit` keys; empty = unlimited."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=60)
    description = models.CharField(_("description"), max_length=200, blank=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=0, help_text=_("Higher ranks are better plans; the free plan has the lowest.")
    )
    is_default = models.BooleanField(
        _("default plan"), default=False, help_text=_("Accounts without a subscription are on this plan.")
    )
    is_public = models.BooleanField(_("shown on the pricing page"), default=True)
    currency = models.CharField(_("currency"), max_length=3, default="usd")
    monthly_price_cents = models.PositiveIntegerField(_("monthly price (cents)"), default=0)
    annual_price_cents = models.PositiveIntegerField(_("annual price (cents)"), default=0)
    trial_days = models.PositiveSmallIntegerField(_("trial days"), default=0)
    stripe_price_monthly = models.CharField(_("Stripe monthly price id"), max_length=100, blank=True)
    stripe_price_annual = models.CharField(_("Stripe annual price id"), max_length=100, blank=True)
    # Limits (see billing.limits.Limit); None = unlimited.
    videos_per_month = models.PositiveIntegerField(_("videos per month"), null=True, blank=True)
    versions_kept = models.PositiveIntegerField(_("versions kept per video"), null=True, blank=True)
    upload_size_mb = models.PositiveIntegerField(_("upload size (MB)"), null=True, blank=True)
    branding = models.BooleanField(_("logo branding"), default=False)
    pro_templates = models.BooleanField(_("Pro templates"), default=False)
    export_batch_size = models.PositiveIntegerField(_("videos per batch export"), null=True, blank=True)
    bulk_rows_per_job = models.PositiveIntegerField(_("rows per bulk job"), null=True, blank=True)
    team_seats = models.PositiveIntegerField(_("team seats"), null=True, blank=True)
    api_rate_per_hour = models.PositiveIntegerField(_("API requests per hour"), null=True, blank=True)
    publications_per_month = models.PositiveIntegerField(_("scheduled publications per month"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="billing_one_default_plan"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return self.monthly_price_cents == 0 and self.annual_price_cents == 0

    def price_cents(self, interval: str) -> int:
        return self.annual_price_cents if interval == Interval.YEAR else self.monthly_price_cents

    def stripe_price(self, interval: str) -> str:
        field = self.stripe_price_annual if interval == Interval.YEAR else self.stripe_price_monthly
        return field or settings.STRIPE_PRICES.get(f"{self.code}_{interval}", "")


class Customer(models.Model):
    """The payer's identity at a payment provider (a Stripe customer id)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="billing_customers"
    )
    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices)
    provider_customer_id = models.CharField(_("provider customer id"), max_length=100)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("billing customer")
        verbose_name_plural = _("billing customers")
        constraints = [
            models.UniqueConstraint(fields=["user", "provider"], name="billing_customer_user_provider"),
            models.UniqueConstraint(fields=["provider", "provider_customer_id"], name="billing_customer_remote_id"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.provider}"


class SubscriptionQuerySet(models.QuerySet["Subscription"]):
    def live(self) -> "SubscriptionQuerySet":
        """Trialing, active or past_due: the subscriptions that still decide an account's plan."""
        return self.filter(status__in=Subscription.LIVE_STATUSES)


class Subscription(models.Model):
    class Status(models.TextChoices):
        TRIALING = "trialing", _("Trialing")
        ACTIVE = "active", _("Active")
        PAST_DUE = "past_due", _("Past due")
        CANCELED = "canceled", _("Canceled")

    LIVE_STATUSES = (Status.TRIALING, Status.ACTIVE, Status.PAST_DUE)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="subscriptions"
    )
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="subscriptions")
    interval = models.CharField(_("billing interval"), max_length=5, choices=Interval.choices, default=Interval.MONTH)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices, default=Provider.MANUAL)
    provider_subscription_id = models.CharField(_("provider subscription id"), max_length=100, blank=True)
    billing_anchor = models.DateTimeField(
        _("billing anchor"), default=timezone.now, help_text=_("Periods are counted from here, so month ends hold.")
    )
    current_period_start = models.DateTimeField(_("current period start"), default=timezone.now)
    current_period_end = models.DateTimeField(_("current period end"))
    cancel_at_period_end = models.BooleanField(_("cancel at period end"), default=False)
    canceled_at = models.DateTimeField(_("canceled"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    past_due_since = models.DateTimeField(_("past due since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-created_at"]
        constraints = [
            # One live subscription per account; history is kept as canceled rows.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status__in=["trialing", "active", "past_due"]),
                name="billing_one_live_subscription",
            ),
            models.UniqueConstraint(
                fields=["provider", "provider_subscription_id"],
                condition=~Q(provider_subscription_id=""),
                name="billing_subscription_remote_id",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status"]),
            models.Index(fields=["provider", "status", "current_period_end"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.plan} ({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE_STATUSES


class Payment(models.Model):
    """One invoice and what happened to its payment."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PAID = "paid", _("Paid")
        FAILED = "failed", _("Failed")
        VOID = "void", _("Void")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="payments"
    )
    subscription = models.ForeignKey(
        Subscription,
        verbose_name=_("subscription"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="payments",
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    subtotal_cents = models.PositiveIntegerField(_("subtotal (cents)"), default=0)
    discount_cents = models.PositiveIntegerField(_("coupon discount (cents)"), default=0)
    credit_cents = models.PositiveIntegerField(_("credit applied (cents)"), default=0)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    currency = models.CharField(_("currency"), max_length=3, default="usd")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices, default=Provider.MANUAL)
    provider_invoice_id = models.CharField(_("provider invoice id"), max_length=100, blank=True)
    period_start = models.DateTimeField(_("period start"), null=True, blank=True)
    period_end = models.DateTimeField(_("period end"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("payment attempts"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_invoice_id"],
                condition=~Q(provider_invoice_id=""),
                name="billing_payment_remote_id",
            )
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
            # The ops console: everyone's payments newest first, and a search by the provider's invoice id.
            models.Index(fields=["-created_at", "-id"], name="billing_payment_recent"),
            models.Index(fields=["provider_invoice_id"], name="billing_payment_invoice_id"),
        ]

    def __str__(self) -> str:
        return f"{self.amount_cents / 100:.2f} {self.currency.upper()} · {self.get_status_display()}"


class Coupon(models.Model):
    class Duration(models.TextChoices):
        ONCE = "once", _("Once (the next invoice)")
        REPEATING = "repeating", _("Repeating (for a number of months)")

    code = models.CharField(_("code"), max_length=40, unique=True, help_text=_("What people type; case-insensitive."))
    name = models.CharField(_("name"), max_length=100)
    percent_off = models.PositiveSmallIntegerField(
        _("percent off"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    amount_off_cents = models.PositiveIntegerField(_("amount off (cents)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="usd")
    duration = models.CharField(_("duration"), max_length=10, choices=Duration.choices, default=Duration.ONCE)
    duration_in_months = models.PositiveSmallIntegerField(_("duration in months"), null=True, blank=True)
    max_redemptions = models.PositiveIntegerField(
        _("redemption limit"), null=True, blank=True, help_text=_("Empty for no limit.")
    )
    times_redeemed = models.PositiveIntegerField(_("times redeemed"), default=0, editable=False)
    redeem_by = models.DateTimeField(_("redeem by"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    stripe_coupon_id = models.CharField(_("Stripe coupon id"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("coupon")
        verbose_name_plural = _("coupons")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(percent_off__isnull=False) & Q(amount_off_cents__isnull=True))
                | (Q(percent_off__isnull=True) & Q(amount_off_cents__isnull=False)),
                name="billing_coupon_percent_xor_amount",
                violation_error_message=_("Give either a percent or an amount off, not both."),
            ),
            models.CheckConstraint(
                condition=Q(duration="once") | Q(duration_in_months__gte=1),
                name="billing_coupon_repeating_has_months",
                violation_error_message=_("A repeating coupon needs a duration in months."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def discount_for(self, amount_cents: int) -> int:
        """The discount this coupon gives on an invoice of `amount_cents`."""
        if self.percent_off is not None:
            return amount_cents * self.percent_off // 100
        return min(amount_cents, self.amount_off_cents or 0)


class CouponRedemption(models.Model):
    coupon = models.ForeignKey(Coupon, verbose_name=_("coupon"), on_delete=models.PROTECT, related_name="redemptions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="coupon_redemptions"
    )
    redeemed_at = models.DateTimeField(_("redeemed"), default=timezone.now)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    invoices_applied = models.PositiveSmallIntegerField(_("invoices discounted"), default=0)

    class Meta:
        verbose_name = _("coupon redemption")
        verbose_name_plural = _("coupon redemptions")
        ordering = ["redeemed_at"]
        constraints = [models.UniqueConstraint(fields=["coupon", "user"], name="billing_one_redemption_per_account")]

    def __str__(self) -> str:
        return f"{self.coupon} · {self.user}"


class Credit(models.Model):
    """Free months of a plan (by default Pro) granted to an account, e.g. for a referral."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="billing_credits"
    )
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="+")
    months = models.PositiveSmallIntegerField(_("months"), default=1, validators=[MinValueValidator(1)])
    months_remaining = models.PositiveSmallIntegerField(_("months remaining"), default=1)
    reason = models.CharField(_("reason"), max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("granted"), default=timezone.now)
    used_up_at = models.DateTimeField(_("used up"), null=True, blank=True)

    class Meta:
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["user", "months_remaining"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.months} months of {self.plan}"


class WebhookEvent(models.Model):
    """A provider event already processed; the unique id makes replays harmless."""

    provider = models.CharField(_("provider"), max_length=20, choices=Provider.choices)
    event_id = models.CharField(_("event id"), max_length=100)
    type = models.CharField(_("type"), max_length=100)
    payload = models.JSONField(_("payload"), default=dict)
    result = models.CharField(_("result"), max_length=200, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("processed webhook event")
        verbose_name_plural = _("processed webhook events")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["provider", "event_id"], name="billing_webhook_event_once")]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id} ({self.type})"


class UsageCounter(models.Model):
    """How much of a metered kind an account (a user's own workspace, or a team) used in one month.

    Incremented by `billing.services.usage.usage_record` in the transaction of the action itself,
    so a rolled-back action counts nothing; never decremented, so deleting a video frees no place.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    team = models.ForeignKey(
        "teams.Team", verbose_name=_("team"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Metered.choices)
    period_start = models.DateField(_("month"), help_text=_("The first day of the month counted."))
    count = models.PositiveIntegerField(_("count"), default=0)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("usage counter")
        verbose_name_plural = _("usage counters")
        ordering = ["-period_start", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, team__isnull=True) | Q(user__isnull=True, team__isnull=False),
                name="billing_usage_one_account",
            ),
            # One row per account, kind and month: concurrent first uses meet here (see usage_record).
            models.UniqueConstraint(
                fields=["user", "kind", "period_start"],
                condition=Q(team__isnull=True),
                name="billing_usage_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["team", "kind", "period_start"],
                condition=Q(team__isnull=False),
                name="billing_usage_once_per_team",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account} · {self.get_kind_display()} · {self.period_start:%Y-%m}: {self.count}"

    @property
    def account(self) -> object:
        return self.team if self.team_id else self.user

    @staticmethod
    def account_fields(account: object) -> dict[str, object] | None:
        """The lookup of `account`'s counters (a saved User or Team), or None for anyone else."""
        from teams.models import Team, User

        if isinstance(account, Team) and account.pk:
            return {"team": account, "user": None}
        if isinstance(account, User) and account.pk:
            return {"user": account, "team": None}
        return None
