"""Races only the database can settle: the referral reward, votes and waitlist batches (PostgreSQL)."""

import threading

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from billing.models import Credit, Payment, Plan, Subscription
from growth.feature_models import FeatureRequest, FeatureVote
from growth.services.features import feature_vote_set
from growth.services.referrals import referral_apply, referral_code_get_or_create, referral_reward
from tests.billing.stripe_events import (
    PERIOD_END,
    PERIOD_START,
    WEBHOOK_SECRET,
    invoice,
    stripe_event,
    stripe_signature,
)
from tests.concurrency import run_while_first_holds_the_lock
from tests.factories import UserFactory
from tests.growth.factories import FeatureRequestFactory

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")


def _all_at_once(calls) -> list[Exception]:
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    return errors


def _referral():
    referrer, referee = UserFactory(), UserFactory()
    referral_apply(referee=referee, code=referral_code_get_or_create(user=referrer).code)
    return referrer, referee


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_rewarding_the_same_payment_grant_one_credit():
    referrer, referee = _referral()
    payment = Payment.objects.create(user=referee, amount_cents=960, status=Payment.Status.PAID)
    results = run_while_first_holds_the_lock(
        lambda: referral_reward(payment=payment), lambda: referral_reward(payment=payment)
    )
    assert results == {"first": "ok", "second": "ok"}
    assert Credit.objects.filter(user=referrer).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_first_payments_webhooked_at_once_reward_once(settings):
    """Two invoices paid at the same moment: billing may call both "first"; the referral's fence decides."""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    referrer, referee = _referral()
    Subscription.objects.create(
        user=referee,
        plan=Plan.objects.get(code="pro"),
        provider="stripe",
        provider_subscription_id="sub_1",
        current_period_start=PERIOD_START,
        current_period_end=PERIOD_END,
    )
    bodies = [
        stripe_event("evt_a", "invoice.paid", invoice("in_a", amount=960, paid=True)),
        stripe_event("evt_a", "invoice.paid", invoice("in_a", amount=960, paid=True)),
        stripe_event("evt_b", "invoice.paid", invoice("in_b", amount=1200, paid=True)),
        stripe_event("evt_c", "invoice.paid", invoice("in_a", amount=960, paid=True)),
    ]
    statuses = []

    def deliver(body):
        return lambda: statuses.append(
            Client()
            .post(
                reverse("billing_stripe_webhook"),
                data=body,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=stripe_signature(body),
            )
            .status_code
        )

    assert _all_at_once([deliver(body) for body in bodies]) == []
    assert statuses == [200] * 4
    assert Payment.objects.filter(user=referee, status="paid").count() == 2
    assert Credit.objects.filter(user=referrer).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_persons_votes_sent_at_once_leave_one_vote_and_exact_counts():
    voter = UserFactory()
    feature_request = FeatureRequestFactory()
    others = [UserFactory() for _ in range(3)]

    def vote(user, value):
        return lambda: feature_vote_set(feature_request=feature_request, user=user, value=value)

    calls = [vote(voter, 1), vote(voter, 1), vote(voter, -1), vote(voter, 1)] + [vote(u, 1) for u in others]
    assert _all_at_once(calls) == []
    assert FeatureVote.objects.filter(feature_request=feature_request, user=voter).count() == 1
    feature_request.refresh_from_db()
    votes = list(FeatureVote.objects.filter(feature_request=feature_request).values_list("value", flat=True))
    assert feature_request.score == sum(votes)
    assert feature_request.upvotes + feature_request.downvotes == len(votes) == 4


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_unique_constraint_keeps_one_vote_per_person_even_without_the_service():
    voter = UserFactory()
    feature_request = FeatureRequestFactory()

    def insert():
        with transaction.atomic():
            FeatureVote.objects.create(feature_request=feature_request, user=voter, value=1)

    errors = _all_at_once([insert, insert])
    assert len(errors) == 1
    assert FeatureVote.objects.filter(feature_request=feature_request).count() == 1
    assert FeatureRequest.objects.count() == 1
