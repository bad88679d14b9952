"""Replays that arrive at the same moment: only the database's unique constraint can settle them."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.test import Client

from billing.limits import Metered
from billing.models import Payment, Plan, Subscription, UsageCounter
from billing.services.usage import usage_record
from insights.models import Event
from tests.billing.stripe_events import (
    PERIOD_END,
    PERIOD_START,
    invoice,
    remote_subscription,
    stripe_event,
    stripe_signature,
)
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_first_uses_of_a_month_at_once_are_all_counted_on_one_row():
    creator = UserFactory()
    barrier = threading.Barrier(4)
    errors = []

    def create_a_video():
        try:
            barrier.wait()
            with transaction.atomic():
                usage_record(account=creator, kind=Metered.VIDEOS_CREATED)
                time.sleep(0.2)  # hold the new row uncommitted while the others try to insert theirs
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=create_a_video) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(UsageCounter.objects.values_list("count", flat=True)) == [4]
