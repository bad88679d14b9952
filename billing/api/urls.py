from django.urls import path

from billing.api import views

urlpatterns = [
    path("billing/plans/", views.PlanListView.as_view(), name="api-billing-plans"),
    path("billing/subscription/", views.BillingStatusView.as_view(), name="api-billing-subscription"),
    path("billing/subscription/cancel/", views.SubscriptionCancelView.as_view(), name="api-billing-cancel"),
    path("billing/subscription/resume/", views.SubscriptionResumeView.as_view(), name="api-billing-resume"),
    path("billing/checkout/", views.CheckoutView.as_view(), name="api-billing-checkout"),
    path("billing/payments/", views.PaymentListView.as_view(), name="api-billing-payments"),
    path("billing/payments/<int:payment_id>/", views.PaymentDetailView.as_view(), name="api-billing-payment"),
    path("billing/credits/", views.CreditListView.as_view(), name="api-billing-credits"),
    path("billing/coupons/redeem/", views.CouponRedeemView.as_view(), name="api-billing-coupon-redeem"),
    path("billing/portal/", views.PortalView.as_view(), name="api-billing-portal"),
]
