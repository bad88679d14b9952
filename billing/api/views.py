from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from billing import selectors
from billing.api.serializers import (
    BillingStatusSerializer,
    CheckoutResultSerializer,
    CheckoutSerializer,
    CouponRedeemSerializer,
    CouponRedemptionSerializer,
    CreditSerializer,
    PaymentSerializer,
    PlanSerializer,
    SubscriptionSerializer,
)
from billing.models import Credit, Payment
from billing.permissions import payment_get_for_user
from billing.providers import provider_for
from billing.services.offers import coupon_redeem
from billing.services.subscriptions import checkout_start, subscription_cancel, subscription_resume
from config.errors import DomainError


def _status_body(request: Request) -> dict:
    overview = selectors.billing_overview_for_user(user=request.user)
    draft = overview.next_invoice
    next_invoice = None
    if draft is not None:
        next_invoice = {
            "at": overview.next_invoice_at,
            "subtotal_cents": draft.subtotal_cents,
            "credit_cents": draft.credit_cents,
            "discount_cents": draft.discount_cents,
            "amount_cents": draft.amount_cents,
            "currency": draft.currency,
        }
    return BillingStatusSerializer(
        {"plan": overview.plan, "subscription": overview.subscription, "next_invoice": next_invoice}
    ).data


class PlanListView(generics.ListAPIView):
    """The plans on sale, with prices (integer cents) and limits; public."""

    serializer_class = PlanSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.plan_list_public()


class BillingStatusView(APIView):
    """The signed-in account's plan, live subscription (or null) and next invoice."""

    @extend_schema(responses=BillingStatusSerializer)
    def get(self, request: Request) -> Response:
        return Response(_status_body(request))


class CheckoutView(APIView):
    """Start an upgrade: the manual provider subscribes at once; Stripe returns a Checkout URL."""

    @extend_schema(request=CheckoutSerializer, responses=CheckoutResultSerializer)
    def post(self, request: Request) -> Response:
        serializer = CheckoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        url = checkout_start(
            user=request.user,
            plan=data["plan"],
            interval=data["interval"],
            success_url=data.get("success_url") or request.build_absolute_uri(reverse("billing")),
            cancel_url=data.get("cancel_url") or request.build_absolute_uri(reverse("pricing")),
        )
        subscription = selectors.subscription_live_for_user(user=request.user)
        return Response(
            {"url": url, "subscription": SubscriptionSerializer(subscription).data if subscription else None},
            status=201,
        )


class _SubscriptionActionView(APIView):
    action_function = staticmethod(subscription_cancel)

    @extend_schema(request=None, responses=BillingStatusSerializer)
    def post(self, request: Request) -> Response:
        subscription = selectors.subscription_live_for_user(user=request.user)
        if subscription is None:
            raise DomainError(_("You have no subscription."), code="no_subscription")
        self.action_function(subscription=subscription, actor=request.user)
        return Response(_status_body(request))


class SubscriptionCancelView(_SubscriptionActionView):
    """Cancel the subscription at the end of the current period (data is kept)."""

    action_function = staticmethod(subscription_cancel)


class SubscriptionResumeView(_SubscriptionActionView):
    """Undo a cancellation while the period is still running."""

    action_function = staticmethod(subscription_resume)


class PaymentListView(generics.ListAPIView):
    """The account's invoices and payments, newest first."""

    serializer_class = PaymentSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return Payment.objects.none()
        return selectors.payment_list_for_user(user=self.request.user)


class PaymentDetailView(generics.RetrieveAPIView):
    """One of the account's payments; another account's payment is a 404."""

    serializer_class = PaymentSerializer
    queryset = Payment.objects.none()  # for the schema; the object comes from the access helper

    def get_object(self) -> Payment:
        return payment_get_for_user(user=self.request.user, payment_id=self.kwargs["payment_id"])


class CreditListView(generics.ListAPIView):
    """Free months granted to the account and how many are left."""

    serializer_class = CreditSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return Credit.objects.none()
        return selectors.credit_list_for_user(user=self.request.user)


class CouponRedeemView(APIView):
    """Redeem a coupon code; it discounts the account's coming invoices."""

    @extend_schema(request=CouponRedeemSerializer, responses=CouponRedemptionSerializer)
    def post(self, request: Request) -> Response:
        serializer = CouponRedeemSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        redemption = coupon_redeem(user=request.user, code=serializer.validated_data["code"])
        return Response(CouponRedemptionSerializer(redemption).data, status=201)


class PortalSerializer(serializers.Serializer):
    url = serializers.URLField(
        allow_null=True, help_text=_("The payment provider's customer portal, or null when billing is managed here.")
    )


class PortalView(APIView):
    """A link to the payment provider's customer portal (cards, invoices), as the billing page offers."""

    @extend_schema(request=None, responses=PortalSerializer)
    def post(self, request: Request) -> Response:
        url = provider_for().portal_url(user=request.user, return_url=request.build_absolute_uri(reverse("billing")))
        return Response({"url": url or None})
