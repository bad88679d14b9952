from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from billing.limits import Limit
from billing.models import Credit, Interval, Payment, Plan, Subscription


class PlanSerializer(serializers.ModelSerializer):
    limits = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = [
            "code",
            "name",
            "description",
            "currency",
            "monthly_price_cents",
            "annual_price_cents",
            "trial_days",
            "is_default",
            "limits",
        ]

    def get_limits(self, plan: Plan) -> dict[str, int | bool | None]:
        return {key: getattr(plan, key) for key in Limit.values}


class SubscriptionSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "plan",
            "interval",
            "status",
            "provider",
            "current_period_start",
            "current_period_end",
            "cancel_at_period_end",
            "canceled_at",
        ]


class NextInvoiceSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    subtotal_cents = serializers.IntegerField()
    credit_cents = serializers.IntegerField()
    discount_cents = serializers.IntegerField()
    amount_cents = serializers.IntegerField()
    currency = serializers.CharField()


class BillingStatusSerializer(serializers.Serializer):
    plan = PlanSerializer()
    subscription = SubscriptionSerializer(allow_null=True)
    next_invoice = NextInvoiceSerializer(allow_null=True)


class PaymentSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "plan",
            "description",
            "subtotal_cents",
            "discount_cents",
            "credit_cents",
            "amount_cents",
            "currency",
            "status",
            "provider",
            "period_start",
            "period_end",
            "created_at",
            "paid_at",
        ]


class CreditSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Credit
        fields = ["id", "plan", "months", "months_remaining", "reason", "created_at", "used_up_at"]


class CheckoutSerializer(serializers.Serializer):
    plan = serializers.SlugRelatedField(
        slug_field="code", queryset=Plan.objects.filter(is_public=True, is_default=False)
    )
    interval = serializers.ChoiceField(choices=Interval.choices, default=Interval.MONTH)
    success_url = serializers.URLField(required=False, help_text=_("Where the provider sends the buyer afterwards."))
    cancel_url = serializers.URLField(required=False)


class CheckoutResultSerializer(serializers.Serializer):
    url = serializers.URLField()
    subscription = SubscriptionSerializer(allow_null=True)


class CouponRedeemSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)


class CouponRedemptionSerializer(serializers.Serializer):
    code = serializers.CharField(source="coupon.code")
    name = serializers.CharField(source="coupon.name")
    percent_off = serializers.IntegerField(source="coupon.percent_off", allow_null=True)
    amount_off_cents = serializers.IntegerField(source="coupon.amount_off_cents", allow_null=True)
    duration = serializers.CharField(source="coupon.duration")
    redeemed_at = serializers.DateTimeField()
    valid_until = serializers.DateTimeField(allow_null=True)
