from datetime import timedelta

import factory
from django.utils import timezone

from billing.models import Coupon, Payment, Plan


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    plan = factory.LazyFunction(lambda: Plan.objects.get(code="pro"))
    description = "Pro · Monthly"
    subtotal_cents = 1200
    amount_cents = 1200
    status = Payment.Status.PAID
    created_at = factory.Sequence(lambda n: timezone.now() - timedelta(days=30 * n))
    paid_at = factory.LazyAttribute(lambda p: p.created_at)


class CouponFactory(factory.django.DjangoModelFactory):
    """20 % off the next invoice, like a referral discount issued to one person."""

    class Meta:
        model = Coupon
        django_get_or_create = ["code"]

    code = "TWENTY"
    name = "20 % off the first month"
    percent_off = 20
    duration = Coupon.Duration.ONCE
