"""The referrer's free month: only after the referee's first payment, and exactly once."""

import pytest
from django.test import Client
from django.urls import reverse

from billing.models import Credit, Payment, Plan, Subscription
from billing.services import subscription_start, subscriptions_renew_due
from billing.signals import payment_succeeded
from growth.referral_models import Referral
from growth.services.referrals import referral_apply, referral_code_get_or_create, referral_rewards_catch_up
from teams.models import Notification
from tests.billing.stripe_events import (
    PERIOD_END,
    PERIOD_START,
    WEBHOOK_SECRET,
    invoice,
    stripe_event,
    stripe_signature,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def referee(creator):
    friend = UserFactory(email="friend@example.com", display_name="Fred Friend")
    referral_apply(referee=friend, code=referral_code_get_or_create(user=creator).code)
    return friend


def test_nothing_is_granted_at_signup(creator, referee):
    assert not Credit.objects.filter(user=creator).exists()
    assert Referral.objects.get().status == "signed_up"


def test_the_referees_first_payment_earns_the_referrer_one_month_of_pro(
    creator, referee, pro_plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscription_start(user=referee, plan=pro_plan, interval="month")
    credit = Credit.objects.get(user=creator)
    assert (credit.plan, credit.months) == (pro_plan, 1)
    referral = Referral.objects.get()
    assert (referral.status, referral.reward_credit, referral.first_payment.user) == ("rewarded", credit, referee)
    notification = Notification.objects.get(recipient=creator, kind="referral_rewarded")
    assert notification.params == {"friend": "Fred Friend"}
    # A later payment, and the same signal sent again, grant nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        subscriptions_renew_due(now=Subscription.objects.get(user=referee).current_period_end)
    for payment in Payment.objects.filter(user=referee):
        payment_succeeded.send(sender=Payment, payment=payment, first=True)
    assert Credit.objects.filter(user=creator).count() == 1
    assert referral_rewards_catch_up() == 0


def test_a_free_or_failed_payment_earns_nothing(creator, referee, pro_plan):
    Payment.objects.create(user=referee, amount_cents=0, status=Payment.Status.PAID)
    Payment.objects.create(user=referee, amount_cents=1200, status=Payment.Status.FAILED)
    for payment in Payment.objects.all():
        payment_succeeded.send(sender=Payment, payment=payment, first=True)
    assert not Credit.objects.filter(user=creator).exists()


def _deliver(body: str) -> int:
    return (
        Client()
        .post(
            reverse("billing_stripe_webhook"),
            data=body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=stripe_signature(body),
        )
        .status_code
    )


def test_a_replayed_payment_webhook_rewards_once(
    settings, creator, referee, pro_plan, django_capture_on_commit_callbacks
):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    Subscription.objects.create(
        user=referee,
        plan=Plan.objects.get(code="pro"),
        provider="stripe",
        provider_subscription_id="sub_1",
        current_period_start=PERIOD_START,
        current_period_end=PERIOD_END,
    )
    paid = stripe_event("evt_paid", "invoice.paid", invoice("in_1", amount=960, paid=True))
    resent = stripe_event("evt_paid_again", "invoice.paid", invoice("in_1", amount=960, paid=True))
    renewal = stripe_event("evt_renewal", "invoice.paid", invoice("in_2", amount=1200, paid=True))
    for body in (paid, paid, resent, renewal):
        with django_capture_on_commit_callbacks(execute=True):
            assert _deliver(body) == 200
    assert Payment.objects.filter(user=referee, status="paid").count() == 2
    assert Credit.objects.filter(user=creator).count() == 1
    assert Referral.objects.get().status == "rewarded"


def test_a_lost_signal_is_made_up_by_the_catch_up_task(creator, referee, pro_plan):
    # Payments made without the signal's commit hook running: as if the process died after commit.
    subscription_start(user=referee, plan=pro_plan, interval="month")
    assert not Credit.objects.filter(user=creator).exists()
    assert referral_rewards_catch_up() == 1
    assert referral_rewards_catch_up() == 0
    assert Credit.objects.filter(user=creator).count() == 1


def test_the_same_payment_customer_found_at_payment_time_is_refused(
    creator, referee, pro_plan, django_capture_on_commit_callbacks
):
    from billing.models import Customer

    Customer.objects.create(user=creator, provider="stripe", provider_customer_id="cus_same")
    Customer.objects.create(user=referee, provider="manual", provider_customer_id="cus_same")
    with django_capture_on_commit_callbacks(execute=True):
        subscription_start(user=referee, plan=pro_plan, interval="month")
    referral = Referral.objects.get()
    assert referral.status == "refused"
    assert not Credit.objects.filter(user=creator).exists()
    assert referral.code.flags.get().reason == "same_customer"
