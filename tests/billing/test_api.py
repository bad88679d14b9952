from django.urls import reverse

from billing.models import Credit, Subscription
from billing.services import subscription_start
from billing.services.offers import credit_grant
from tests.billing.factories import CouponFactory, PaymentFactory


def test_plans_are_listed_publicly_with_prices_and_limits(api_client, db, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = api_client.get(reverse("api-billing-plans"))
    assert response.status_code == 200
    plans = {plan["code"]: plan for plan in response.json()["results"]}
    assert plans["pro"]["monthly_price_cents"] == 1200
    assert plans["pro"]["limits"]["branding"] is True
    assert plans["free"]["limits"]["videos_per_month"] == 10


def test_the_status_of_a_free_account(creator_api):
    body = creator_api.get(reverse("api-billing-subscription")).json()
    assert body["plan"]["code"] == "free"
    assert body["subscription"] is None
    assert body["next_invoice"] is None


def test_checkout_cancel_and_resume_through_the_api(creator_api, creator, pro_plan):
    response = creator_api.post(reverse("api-billing-checkout"), {"plan": "pro", "interval": "month"}, format="json")
    assert response.status_code == 201
    assert response.json()["subscription"]["status"] == "active"
    body = creator_api.get(reverse("api-billing-subscription")).json()
    assert body["plan"]["code"] == "pro"
    assert body["next_invoice"]["amount_cents"] == 1200

    body = creator_api.post(reverse("api-billing-cancel")).json()
    assert body["subscription"]["cancel_at_period_end"] is True
    assert body["next_invoice"] is None
    again = creator_api.post(reverse("api-billing-cancel"))
    assert again.status_code == 400
    body = creator_api.post(reverse("api-billing-resume")).json()
    assert body["subscription"]["cancel_at_period_end"] is False


def test_bad_checkout_input_is_a_400_with_field_errors(creator_api, db):
    response = creator_api.post(reverse("api-billing-checkout"), {"plan": "free", "interval": "weekly"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"plan", "interval"}
    assert not Subscription.objects.exists()


def test_cancelling_without_a_subscription_is_a_400(creator_api):
    assert creator_api.post(reverse("api-billing-cancel")).status_code == 400


def test_payments_list_has_a_fixed_query_budget(creator_api, creator, django_assert_max_num_queries):
    PaymentFactory(user=creator)
    with django_assert_max_num_queries(4) as one:
        assert creator_api.get(reverse("api-billing-payments")).json()["count"] == 1
    PaymentFactory.create_batch(30, user=creator)
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = creator_api.get(reverse("api-billing-payments")).json()
    assert (body["count"], len(body["results"])) == (31, 20)


def test_another_accounts_payment_is_a_404(creator_api, outsider_api, creator, pro_plan):
    subscription_start(user=creator, plan=pro_plan, interval="month")
    payment_id = creator_api.get(reverse("api-billing-payments")).json()["results"][0]["id"]
    url = reverse("api-billing-payment", args=[payment_id])
    assert creator_api.get(url).json()["amount_cents"] == 1200
    assert outsider_api.get(url).status_code == 404
    assert outsider_api.get(reverse("api-billing-payments")).json()["count"] == 0


def test_coupons_are_redeemed_through_the_api(creator_api, db):
    CouponFactory(code="TWENTY")
    response = creator_api.post(reverse("api-billing-coupon-redeem"), {"code": "twenty"}, format="json")
    assert response.status_code == 201
    assert response.json()["percent_off"] == 20
    response = creator_api.post(reverse("api-billing-coupon-redeem"), {"code": "twenty"}, format="json")
    assert response.status_code == 400
    assert "code" in response.json()


def test_credits_are_listed_for_their_owner_with_a_fixed_query_budget(
    creator_api, outsider_api, creator, django_assert_max_num_queries
):
    credit_grant(user=creator, months=2, reason="Referral")
    with django_assert_max_num_queries(4) as one:
        body = creator_api.get(reverse("api-billing-credits")).json()
    assert body["results"][0]["months"] == 2
    for n in range(12):
        credit_grant(user=creator, months=1, reason=f"Referral {n}")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert creator_api.get(reverse("api-billing-credits")).json()["count"] == 13
    assert outsider_api.get(reverse("api-billing-credits")).json()["count"] == 0
    assert Credit.objects.filter(user=creator).count() == 13


def test_private_billing_endpoints_need_authentication(api_client, db):
    for name in ["api-billing-subscription", "api-billing-payments", "api-billing-credits"]:
        assert api_client.get(reverse(name)).status_code in (401, 403)


def test_the_api_schema_documents_billing(staff_client):
    schema = staff_client.get(reverse("api-schema")).content.decode()
    assert "/api/v1/billing/checkout/" in schema
    assert "/api/v1/billing/payments/{payment_id}/" in schema
