from django.urls import path

from billing import views

urlpatterns = [
    path("pricing/", views.pricing, name="pricing"),
    path("billing/", views.billing, name="billing"),
    path("billing/checkout/", views.checkout, name="billing_checkout"),
    path("billing/cancel/", views.cancel, name="billing_cancel"),
    path("billing/resume/", views.resume, name="billing_resume"),
    path("billing/portal/", views.portal, name="billing_portal"),
    path("billing/coupon/", views.coupon, name="billing_coupon"),
    path("billing/payments/<int:payment_id>/", views.payment_detail, name="billing_payment"),
    path("billing/webhooks/stripe/", views.stripe_webhook, name="billing_stripe_webhook"),
]
