from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from billing import limits
from billing.models import Coupon, CouponRedemption, Credit, Payment, Subscription
from billing.services import (
    subscription_cancel,
    subscription_renew,
    subscription_resume,
    subscription_start,
    subscriptions_renew_due,
)
from billing.services.offers import coupon_redeem, credit_grant
from config.errors import DomainError
from insights.models import Event
from tests.billing.factories import CouponFactory
from tests.factories import UserFactory


def events(name):
    return list(Event.objects.filter(name=name).order_by("pk"))


def test_a_manual_upgrade_starts_pro_now_and_records_a_paid_invoice(creator, pro_plan):
    subscription = subscription_start(user=creator, plan=pro_plan, interval="month")
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.current_period_end > subscription.current_period_start
    payment = Payment.objects.get(user=creator)
    assert (payment.amount_cents, payment.currency, payment.status) == (1200, "usd", Payment.Status.PAID)
    assert [e.payload["plan"] for e in events("user.subscribed")] == ["pro"]
    assert [e.payload["amount_cents"] for e in events("payment.succeeded")] == [1200]


def test_an_annual_upgrade_charges_the_annual_price_for_a_year(creator, pro_plan):
    start = datetime(2028, 2, 29, 12, tzinfo=UTC)
    subscription = subscription_start(user=creator, plan=pro_plan, interval="year", now=start)
    assert subscription.current_period_end == datetime(2029, 2, 28, 12, tzinfo=UTC)
    assert Payment.objects.get(user=creator).amount_cents == 12000


def test_one_live_subscription_per_account(creator, pro_plan):
    subscription_start(user=creator, plan=pro_plan, interval="month")
    with pytest.raises(DomainError):
        subscription_start(user=creator, plan=pro_plan, interval="year")
    assert Subscription.objects.filter(user=creator).count() == 1


def test_cancel_at_period_end_keeps_pro_until_the_end_then_the_renewal_task_ends_it(creator, pro_plan):
    start = timezone.now() - timedelta(days=40)
    subscription = subscription_start(user=creator, plan=pro_plan, interval="month", now=start)
    subscription.current_period_end = timezone.now() + timedelta(days=1)
    subscription.save(update_fields=["current_period_end"])
    subscription_cancel(subscription=subscription, actor=creator)
    assert limits.plan_code_for(creator) == "pro"
    assert [e.payload["immediately"] for e in events("user.cancelled")] == [False]
    assert subscriptions_renew_due(now=timezone.now() + timedelta(days=2)) == 1
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CANCELED
    assert Payment.objects.filter(user=creator).count() == 1  # no invoice after cancelling
    assert limits.plan_code_for(creator) == "free"


def test_resume_undoes_the_cancellation_and_renewal_invoices_the_next_period(creator, pro_plan):
    start = datetime(2026, 1, 31, 8, tzinfo=UTC)
    subscription = subscription_start(user=creator, plan=pro_plan, interval="month", now=start)
    subscription_cancel(subscription=subscription, actor=creator)
    subscription_resume(subscription=subscription, actor=creator)
    with pytest.raises(DomainError):
        subscription_resume(subscription=subscription, actor=creator)
    assert subscriptions_renew_due(now=datetime(2026, 3, 1, tzinfo=UTC)) == 1
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE
    assert (subscription.current_period_start, subscription.current_period_end) == (
        datetime(2026, 2, 28, 8, tzinfo=UTC),
        datetime(2026, 3, 31, 8, tzinfo=UTC),
    )
    assert Payment.objects.filter(user=creator, status=Payment.Status.PAID).count() == 2


def test_renewal_catches_up_missed_periods_once_each_and_is_idempotent(creator, pro_plan):
    start = datetime(2026, 1, 15, tzinfo=UTC)
    subscription = subscription_start(user=creator, plan=pro_plan, interval="month", now=start)
    assert subscriptions_renew_due(now=datetime(2026, 4, 20, tzinfo=UTC)) == 3
    assert subscriptions_renew_due(now=datetime(2026, 4, 20, tzinfo=UTC)) == 0
    assert subscription_renew(subscription_id=subscription.pk, now=datetime(2026, 4, 20, tzinfo=UTC)) is None
    subscription.refresh_from_db()
    assert subscription.current_period_end == datetime(2026, 5, 15, tzinfo=UTC)
    assert Payment.objects.filter(user=creator).count() == 4


def test_a_once_coupon_takes_20_percent_off_the_first_invoice_only(creator, pro_plan):
    coupon_redeem(user=creator, code=CouponFactory(code="TWENTY").code.lower())
    start = datetime(2026, 5, 1, tzinfo=UTC)
    subscription_start(user=creator, plan=pro_plan, interval="month", now=start)
    subscriptions_renew_due(now=datetime(2026, 6, 2, tzinfo=UTC))
    first, second = Payment.objects.filter(user=creator).order_by("period_start")
    assert (first.subtotal_cents, first.discount_cents, first.amount_cents) == (1200, 240, 960)
    assert (second.discount_cents, second.amount_cents) == (0, 1200)


def test_a_repeating_amount_off_coupon_applies_for_its_months(creator, pro_plan):
    Coupon.objects.create(
        code="SPRING", name="Spring", amount_off_cents=500, duration="repeating", duration_in_months=2
    )
    redeemed = datetime(2026, 3, 1, tzinfo=UTC)
    coupon_redeem(user=creator, code="spring", now=redeemed)
    subscription_start(user=creator, plan=pro_plan, interval="month", now=redeemed)
    subscriptions_renew_due(now=datetime(2026, 5, 2, tzinfo=UTC))
    amounts = list(Payment.objects.filter(user=creator).order_by("period_start").values_list("amount_cents", flat=True))
    assert amounts == [700, 700, 1200]


@pytest.mark.parametrize(
    ("coupon_fields", "message"),
    [
        ({"is_active": False}, "not valid"),
        ({"redeem_by": datetime(2020, 1, 1, tzinfo=UTC)}, "expired"),
        ({"max_redemptions": 1}, "used up"),
    ],
)
def test_coupons_refuse_inactive_expired_and_used_up_codes(creator, coupon_fields, message):
    coupon = Coupon.objects.create(code="ONE", name="One", percent_off=10, **coupon_fields)
    if coupon.max_redemptions:
        coupon_redeem(user=UserFactory(), code="ONE")
    with pytest.raises(DomainError, match=message) as error:
        coupon_redeem(user=creator, code="ONE")
    assert error.value.field == "code"
    assert not CouponRedemption.objects.filter(user=creator).exists()


def test_a_coupon_is_redeemed_once_per_account_and_counted(creator):
    coupon = CouponFactory()
    coupon_redeem(user=creator, code=coupon.code)
    with pytest.raises(DomainError, match="already used"):
        coupon_redeem(user=creator, code=coupon.code)
    with pytest.raises(DomainError, match="not valid"):
        coupon_redeem(user=creator, code="NOPE")
    assert Coupon.objects.get(code=coupon.code).times_redeemed == 1


def test_a_free_month_for_a_free_account_gives_pro_now_and_ends_by_itself(creator, pro_plan):
    credit = credit_grant(user=creator, months=1, reason="Referral")
    assert limits.plan_code_for(creator) == "pro"
    credit.refresh_from_db()
    assert credit.months_remaining == 0
    subscription = Subscription.objects.get(user=creator)
    assert subscription.cancel_at_period_end
    payment = Payment.objects.get(user=creator)
    assert (payment.amount_cents, payment.credit_cents) == (0, 1200)
    subscriptions_renew_due(now=subscription.current_period_end + timedelta(minutes=1))
    assert limits.plan_code_for(creator) == "free"
    assert Payment.objects.filter(user=creator).count() == 1


def test_a_free_month_for_a_subscriber_makes_the_next_monthly_invoice_free(creator, pro_plan):
    start = datetime(2026, 7, 1, tzinfo=UTC)
    subscription_start(user=creator, plan=pro_plan, interval="month", now=start)
    coupon_redeem(user=creator, code=CouponFactory().code)
    credit = credit_grant(user=creator, months=1, reason="Referral")
    assert Credit.objects.get(pk=credit.pk).months_remaining == 1
    subscriptions_renew_due(now=datetime(2026, 8, 2, tzinfo=UTC))
    subscriptions_renew_due(now=datetime(2026, 9, 2, tzinfo=UTC))
    payments = list(Payment.objects.filter(user=creator).order_by("period_start"))
    assert [(p.amount_cents, p.credit_cents, p.discount_cents) for p in payments] == [
        (1200, 0, 0),
        (0, 1200, 0),  # the free month; the coupon waits for a paid invoice
        (960, 0, 240),
    ]
    assert Credit.objects.get(pk=credit.pk).used_up_at is not None


def test_credit_grant_needs_at_least_one_month(creator):
    with pytest.raises(DomainError):
        credit_grant(user=creator, months=0, reason="Oops")
    assert not Credit.objects.exists()


def test_a_plan_with_a_trial_starts_trialing_without_an_invoice(creator, pro_plan):
    pro_plan.trial_days = 14
    pro_plan.save(update_fields=["trial_days"])
    start = datetime(2026, 1, 1, tzinfo=UTC)
    subscription = subscription_start(user=creator, plan=pro_plan, interval="month", now=start)
    assert subscription.status == Subscription.Status.TRIALING
    assert not Payment.objects.exists()
    subscriptions_renew_due(now=datetime(2026, 1, 16, tzinfo=UTC))
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.current_period_end == datetime(2026, 2, 15, tzinfo=UTC)
    assert Payment.objects.get().amount_cents == 1200


def test_the_beat_task_renews_due_subscriptions(creator, pro_plan):
    from billing.tasks import subscriptions_renew_due as task

    subscription = subscription_start(
        user=creator, plan=pro_plan, interval="month", now=timezone.now() - timedelta(days=31)
    )
    assert task.delay().get() == 1
    subscription.refresh_from_db()
    assert subscription.current_period_end > timezone.now()
    assert Payment.objects.filter(user=creator).count() == 2
