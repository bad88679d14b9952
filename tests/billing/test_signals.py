from datetime import UTC, datetime

import pytest

from billing.services import subscription_start, subscriptions_renew_due
from billing.signals import payment_succeeded


@pytest.fixture
def received():
    calls = []

    def receiver(sender, payment, first, **kwargs):
        calls.append((payment.amount_cents, first))

    payment_succeeded.connect(receiver)
    yield calls
    payment_succeeded.disconnect(receiver)


def test_payment_succeeded_is_sent_after_commit_and_marks_the_first_payment(
    creator, pro_plan, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        subscription_start(user=creator, plan=pro_plan, interval="month", now=datetime(2026, 1, 5, tzinfo=UTC))
        assert received == []  # not before the commit
    with django_capture_on_commit_callbacks(execute=True):
        subscriptions_renew_due(now=datetime(2026, 2, 6, tzinfo=UTC))
    assert received == [(1200, True), (1200, False)]


def test_a_failing_receiver_does_not_break_the_payment(creator, pro_plan, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise RuntimeError("referral service down")

    payment_succeeded.connect(broken)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            subscription = subscription_start(user=creator, plan=pro_plan, interval="month")
    finally:
        payment_succeeded.disconnect(broken)
    assert subscription.payments.get().status == "paid"
