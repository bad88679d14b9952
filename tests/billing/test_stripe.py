"""The Stripe path, end to end: our Stripe client talks to a local server, webhooks are signed like Stripe's."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from billing import limits
from billing.models import Customer, Payment, Subscription, WebhookEvent
from billing.services.offers import coupon_redeem, credit_grant
from insights.models import Event
from tests.billing.factories import CouponFactory
from tests.billing.stripe_events import (
    PERIOD_END,
    PERIOD_START,
    invoice,
    remote_subscription,
    stripe_event,
    stripe_signature,
)

WEBHOOK = "/billing/webhooks/stripe/"

pytestmark = pytest.mark.usefixtures("stripe_settings")


def post_event(client, body, signature=None):
    return client.post(
        WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature or stripe_signature(body)
    )


def subscribe_through_checkout(client, creator, fake_stripe, *, event_id="evt_checkout"):
    fake_stripe.subscriptions["sub_1"] = remote_subscription(
        "sub_1", user_id=creator.pk, start=PERIOD_START, end=PERIOD_END
    )
    session = {
        "id": "cs_test_1",
        "object": "checkout.session",
        "mode": "subscription",
        "customer": "cus_test_1",
        "subscription": "sub_1",
        "client_reference_id": str(creator.pk),
        "metadata": {"user_id": str(creator.pk), "plan": "pro", "interval": "month"},
    }
    return post_event(client, stripe_event(event_id, "checkout.session.completed", session))


def test_upgrading_sends_a_checkout_session_request_to_stripe_and_redirects_there(creator_client, creator, fake_stripe):
    response = creator_client.post(reverse("billing_checkout"), {"plan": "pro", "interval": "year"})
    assert response.status_code == 302
    assert response["Location"] == "https://checkout.stripe.test/pay/cs_test_1"
    customer_request = fake_stripe.requests_to("POST", "/v1/customers")[0]
    assert customer_request["form"]["email"] == creator.email
    assert customer_request["headers"]["Authorization"] == "Bearer sk_test_local"
    assert customer_request["headers"]["Idempotency-Key"] == f"video-creator-customer-{creator.pk}"
    session = fake_stripe.requests_to("POST", "/v1/checkout/sessions")[0]["form"]
    assert session["mode"] == "subscription"
    assert session["customer"] == "cus_test_1"
    assert session["line_items[0][price]"] == "price_pro_year"
    assert session["metadata[user_id]"] == str(creator.pk)
    assert session["success_url"].endswith("/billing/?checkout=success")
    assert Customer.objects.get(user=creator).provider_customer_id == "cus_test_1"
    assert not Subscription.objects.exists()  # nothing changes until Stripe confirms


def test_a_redeemed_coupon_with_a_stripe_twin_is_passed_to_checkout(creator_client, creator, fake_stripe):
    coupon = CouponFactory(stripe_coupon_id="TWENTY_STRIPE")
    coupon_redeem(user=creator, code=coupon.code)
    creator_client.post(reverse("billing_checkout"), {"plan": "pro", "interval": "month"})
    session = fake_stripe.requests_to("POST", "/v1/checkout/sessions")[0]["form"]
    assert session["discounts[0][coupon]"] == "TWENTY_STRIPE"


def test_the_portal_button_opens_a_stripe_portal_session(creator_client, creator, fake_stripe):
    Customer.objects.create(user=creator, provider="stripe", provider_customer_id="cus_existing")
    response = creator_client.post(reverse("billing_portal"))
    assert response["Location"] == "https://billing.stripe.test/session/1"
    portal = fake_stripe.requests_to("POST", "/v1/billing_portal/sessions")[0]["form"]
    assert portal["customer"] == "cus_existing"
    assert portal["return_url"].endswith("/billing/")
    assert not fake_stripe.requests_to("POST", "/v1/customers")


def test_checkout_completion_creates_the_subscription_from_stripes_data(client, creator, fake_stripe):
    response = subscribe_through_checkout(client, creator, fake_stripe)
    assert response.status_code == 200
    subscription = Subscription.objects.get(user=creator)
    assert (subscription.status, subscription.plan.code, subscription.provider) == ("active", "pro", "stripe")
    assert (subscription.current_period_start, subscription.current_period_end) == (PERIOD_START, PERIOD_END)
    assert fake_stripe.requests_to("GET", "/v1/subscriptions/sub_1")
    assert limits.plan_code_for(creator) == "pro"
    assert Event.objects.filter(name="user.subscribed", actor=creator).count() == 1


HOUR_AGO = int((timezone.now() - timedelta(hours=1)).timestamp())


@pytest.mark.parametrize(
    "sign",
    [
        lambda body: None,
        lambda body: "t=1,v1=deadbeef",
        lambda body: stripe_signature(body, secret="whsec_someone_else"),
        lambda body: stripe_signature(body, timestamp=HOUR_AGO),  # outside Stripe's 5-minute tolerance
    ],
    ids=["missing", "garbage", "wrong-secret", "stale"],
)
def test_events_not_signed_by_stripe_are_rejected_and_change_nothing(client, creator, fake_stripe, sign):
    fake_stripe.subscriptions["sub_1"] = remote_subscription(
        "sub_1", user_id=creator.pk, start=PERIOD_START, end=PERIOD_END
    )
    body = stripe_event("evt_forged", "customer.subscription.created", fake_stripe.subscriptions["sub_1"])
    signature = sign(body)
    headers = {"HTTP_STRIPE_SIGNATURE": signature} if signature else {}
    response = client.post(WEBHOOK, data=body, content_type="application/json", **headers)
    assert response.status_code == 400
    assert not Subscription.objects.exists()
    assert not WebhookEvent.objects.exists()
    assert not Event.objects.exists()


def test_a_tampered_body_is_rejected(client, creator, fake_stripe):
    body = stripe_event("evt_1", "invoice.paid", invoice("in_1", amount=1200, paid=True))
    signature = stripe_signature(body)
    response = post_event(client, body.replace("1200", "1"), signature)
    assert response.status_code == 400
    assert not Payment.objects.exists()


def test_a_replayed_event_has_no_second_effect(client, creator, fake_stripe):
    subscribe_through_checkout(client, creator, fake_stripe)
    body = stripe_event("evt_paid", "invoice.paid", invoice("in_1", amount=1200, paid=True))
    first = post_event(client, body)
    second = post_event(client, body)
    again = subscribe_through_checkout(client, creator, fake_stripe)
    assert (first.status_code, second.status_code, again.status_code) == (200, 200, 200)
    assert second.content == b"duplicate"
    assert again.content == b"duplicate"
    assert Payment.objects.count() == 1
    assert Subscription.objects.count() == 1
    assert Event.objects.filter(name="payment.succeeded").count() == 1
    assert Event.objects.filter(name="user.subscribed").count() == 1
    assert WebhookEvent.objects.count() == 2


def test_a_failed_payment_makes_the_subscription_past_due_and_a_later_success_active(
    client, creator, fake_stripe, django_capture_on_commit_callbacks, mailoutbox
):
    subscribe_through_checkout(client, creator, fake_stripe)
    with django_capture_on_commit_callbacks(execute=True):
        post_event(client, stripe_event("evt_fail", "invoice.payment_failed", invoice("in_2", amount=1200, paid=False)))
    assert [m.to for m in mailoutbox] == [[creator.email]]
    assert mailoutbox[0].subject == "Your Video Creator payment failed"
    assert "12.00 USD" in mailoutbox[0].body
    assert "/billing/" in mailoutbox[0].body
    subscription = Subscription.objects.get(user=creator)
    payment = Payment.objects.get(provider_invoice_id="in_2")
    assert subscription.status == Subscription.Status.PAST_DUE
    assert payment.status == Payment.Status.FAILED
    assert Event.objects.filter(name="payment.failed", actor=creator).count() == 1
    assert limits.plan_code_for(creator) == "pro"  # within the grace period

    post_event(client, stripe_event("evt_paid", "invoice.paid", invoice("in_2", amount=1200, paid=True)))
    subscription.refresh_from_db()
    payment.refresh_from_db()
    assert subscription.status == Subscription.Status.ACTIVE
    assert subscription.past_due_since is None
    assert (payment.status, payment.attempts, payment.amount_cents) == (Payment.Status.PAID, 2, 1200)
    assert Event.objects.filter(name="payment.succeeded", actor=creator).count() == 1


def test_an_invoice_for_an_unknown_subscription_fetches_it_from_stripe_first(client, creator, fake_stripe):
    Customer.objects.create(user=creator, provider="stripe", provider_customer_id="cus_test_1")
    fake_stripe.subscriptions["sub_1"] = remote_subscription(
        "sub_1", user_id=creator.pk, start=PERIOD_START, end=PERIOD_END
    )
    post_event(client, stripe_event("evt_paid", "invoice.paid", invoice("in_1", amount=1200, paid=True)))
    payment = Payment.objects.get()
    assert payment.subscription.provider_subscription_id == "sub_1"
    assert payment.plan.code == "pro"


def test_subscription_updates_and_deletion_are_mirrored(client, creator, fake_stripe):
    subscribe_through_checkout(client, creator, fake_stripe)
    updated = remote_subscription(
        "sub_1", user_id=creator.pk, start=PERIOD_START, end=PERIOD_END, cancel_at_period_end=True
    )
    fake_stripe.subscriptions["sub_1"] = updated
    post_event(client, stripe_event("evt_upd", "customer.subscription.updated", updated))
    subscription = Subscription.objects.get()
    assert subscription.cancel_at_period_end
    assert Event.objects.filter(name="user.cancelled").count() == 1
    deleted = dict(updated, status="canceled")
    fake_stripe.subscriptions["sub_1"] = deleted
    post_event(client, stripe_event("evt_del", "customer.subscription.deleted", deleted))
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CANCELED
    assert Event.objects.filter(name="user.cancelled").count() == 1  # already announced
    assert limits.plan_code_for(creator) == "free"


def test_a_late_update_event_does_not_bring_a_cancelled_subscription_back(client, creator, fake_stripe):
    subscribe_through_checkout(client, creator, fake_stripe)
    active = remote_subscription("sub_1", user_id=creator.pk, start=PERIOD_START, end=PERIOD_END)
    fake_stripe.subscriptions["sub_1"] = dict(active, status="canceled")
    post_event(client, stripe_event("evt_del", "customer.subscription.deleted", dict(active, status="canceled")))
    # The older "updated" event (still active in its snapshot) arrives last.
    post_event(client, stripe_event("evt_old_upd", "customer.subscription.updated", active))
    assert Subscription.objects.get().status == Subscription.Status.CANCELED
    assert fake_stripe.requests_to("GET", "/v1/subscriptions/sub_1")
    assert limits.plan_code_for(creator) == "free"


def test_unknown_event_types_are_acknowledged_and_ignored(client):
    response = post_event(client, stripe_event("evt_x", "charge.refunded", {"id": "ch_1"}))
    assert (response.status_code, response.content) == (200, b"ignored")


def test_cancel_and_resume_from_the_billing_page_tell_stripe(creator_client, client, creator, fake_stripe):
    subscribe_through_checkout(client, creator, fake_stripe)
    creator_client.post(reverse("billing_cancel"))
    assert fake_stripe.requests_to("POST", "/v1/subscriptions/sub_1")[-1]["form"] == {"cancel_at_period_end": "true"}
    assert Subscription.objects.get().cancel_at_period_end
    creator_client.post(reverse("billing_resume"))
    assert fake_stripe.requests_to("POST", "/v1/subscriptions/sub_1")[-1]["form"] == {"cancel_at_period_end": "false"}
    assert not Subscription.objects.get().cancel_at_period_end


def test_a_free_month_for_a_stripe_subscriber_becomes_a_customer_balance_credit(client, creator, fake_stripe):
    subscribe_through_checkout(client, creator, fake_stripe)
    credit = credit_grant(user=creator, months=1, reason="Referral")
    request = fake_stripe.requests_to("POST", "/v1/customers/cus_test_1/balance_transactions")[0]
    assert (request["form"]["amount"], request["form"]["currency"]) == ("-1200", "usd")
    credit.refresh_from_db()
    assert credit.months_remaining == 0


def test_a_stripe_outage_during_checkout_shows_an_error_and_changes_nothing(creator_client, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    response = creator_client.post(reverse("billing_checkout"), {"plan": "pro", "interval": "month"}, follow=True)
    assert "could not complete" in response.content.decode()
    assert not Customer.objects.exists()


def test_a_free_credit_month_gives_way_to_a_paid_stripe_subscription(creator_client, client, creator, fake_stripe):
    credit_grant(user=creator, months=1, reason="Referral")
    page = creator_client.get(reverse("billing")).content.decode()
    assert "Upgrade to Pro" in page  # the built-in free month cannot be resumed as a Stripe subscription
    response = creator_client.post(reverse("billing_checkout"), {"plan": "pro", "interval": "month"})
    assert response["Location"].startswith("https://checkout.stripe.test/")
    subscribe_through_checkout(client, creator, fake_stripe)
    live = Subscription.objects.get(user=creator, status__in=Subscription.LIVE_STATUSES)
    assert live.provider == "stripe"
    assert Subscription.objects.filter(user=creator, provider="manual", status="canceled").count() == 1


def test_the_api_checkout_returns_the_stripe_checkout_url(creator, fake_stripe):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(creator)
    response = api.post(
        reverse("api-billing-checkout"),
        {"plan": "pro", "interval": "month", "success_url": "https://app.example.com/done"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json() == {"url": "https://checkout.stripe.test/pay/cs_test_1", "subscription": None}
    assert fake_stripe.requests_to("POST", "/v1/checkout/sessions")[0]["form"]["success_url"] == (
        "https://app.example.com/done"
    )


def test_an_event_that_cannot_be_handled_yet_is_not_marked_processed_so_stripes_retry_works(
    client, creator, fake_stripe
):
    session = {
        "id": "cs_test_1",
        "object": "checkout.session",
        "mode": "subscription",
        "customer": "cus_test_1",
        "subscription": "sub_1",
        "metadata": {"user_id": str(creator.pk)},
    }
    body = stripe_event("evt_checkout", "checkout.session.completed", session)
    assert post_event(client, body).status_code == 503  # Stripe does not know sub_1 (yet)
    assert not WebhookEvent.objects.exists()
    assert not Customer.objects.exists()
    fake_stripe.subscriptions["sub_1"] = remote_subscription(
        "sub_1", user_id=creator.pk, start=PERIOD_START, end=PERIOD_END
    )
    assert post_event(client, body).status_code == 200
    assert Subscription.objects.get().provider_subscription_id == "sub_1"
