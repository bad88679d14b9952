"""Replays that arrive at the same moment: only the database's unique constraint can settle them."""

import threading

import pytest
from django.db import connection
from django.test import Client

from billing.models import Payment, Plan, Subscription
from insights.models import Event
from tests.billing.conftest import remote_subscription, stripe_event, stripe_signature
from tests.billing.test_stripe import PERIOD_END, PERIOD_START, invoice
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.usefixtures("stripe_settings"),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
]


# serialized_rollback restores the plans seeded by the data migration after the flush.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_event_delivered_twice_at_once_is_applied_once(fake_stripe):
    creator = UserFactory()
    fake_stripe.subscriptions["sub_1"] = remote_subscription(
        "sub_1", user_id=creator.pk, start=PERIOD_START, end=PERIOD_END
    )
    Subscription.objects.create(
        user=creator,
        plan=Plan.objects.get(code="pro"),
        provider="stripe",
        provider_subscription_id="sub_1",
        current_period_start=PERIOD_START,
        current_period_end=PERIOD_END,
    )
    body = stripe_event("evt_paid", "invoice.paid", invoice("in_1", amount=1200, paid=True))
    barrier = threading.Barrier(4)
    statuses = []

    def deliver():
        barrier.wait()
        response = Client().post(
            "/billing/webhooks/stripe/",
            data=body,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=stripe_signature(body),
        )
        statuses.append(response.status_code)
        connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4
    assert Payment.objects.count() == 1
    assert Event.objects.filter(name="payment.succeeded").count() == 1
