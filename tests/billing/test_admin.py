import pytest
from django.urls import reverse

from billing import limits
from billing.models import Coupon, Credit, Payment, Plan, Subscription, WebhookEvent
from billing.services import subscription_start
from billing.services.offers import credit_grant


@pytest.mark.parametrize("model", [Plan, Subscription, Payment, Coupon, Credit, WebhookEvent])
def test_every_billing_admin_list_opens(staff_client, creator, pro_plan, model):
    subscription_start(user=creator, plan=pro_plan, interval="month")
    credit_grant(user=creator, months=1, reason="Goodwill")
    WebhookEvent.objects.create(provider="stripe", event_id="evt_1", type="invoice.paid")
    opts = model._meta
    response = staff_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert response.status_code == 200


def test_staff_edit_plan_limits_in_the_admin(staff_client, creator, free_plan):
    url = reverse("admin:billing_plan_change", args=[free_plan.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data.update(videos_per_month=25, branding="on")
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert limits.value(creator, "videos_per_month") == 25
    assert limits.allows(creator, "branding")


def test_the_cancel_action_ends_subscriptions_at_period_end(staff_client, creator, pro_plan):
    subscription = subscription_start(user=creator, plan=pro_plan, interval="month")
    staff_client.post(
        reverse("admin:billing_subscription_changelist"),
        {"action": "cancel_at_period_end_action", "_selected_action": [subscription.pk]},
    )
    subscription.refresh_from_db()
    assert subscription.cancel_at_period_end


def test_the_cancel_now_action_returns_the_account_to_free(staff_client, creator, pro_plan):
    subscription = subscription_start(user=creator, plan=pro_plan, interval="month")
    staff_client.post(
        reverse("admin:billing_subscription_changelist"),
        {"action": "cancel_now_action", "_selected_action": [subscription.pk]},
    )
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.CANCELED
    assert limits.plan_code_for(creator) == "free"


def test_the_grant_credit_action_gives_a_free_month(staff_client, staff, creator, pro_plan):
    subscription = subscription_start(user=creator, plan=pro_plan, interval="month")
    staff_client.post(
        reverse("admin:billing_subscription_changelist"),
        {"action": "grant_free_month_action", "_selected_action": [subscription.pk]},
    )
    credit = Credit.objects.get(user=creator)
    assert (credit.months, credit.months_remaining, credit.granted_by) == (1, 1, staff)


def test_adding_a_credit_in_the_admin_goes_through_the_grant_service(staff_client, creator, pro_plan):
    response = staff_client.post(
        reverse("admin:billing_credit_add"),
        {"user": creator.pk, "plan": pro_plan.pk, "months": 1, "reason": "Support goodwill"},
    )
    assert response.status_code == 302
    assert limits.plan_code_for(creator) == "pro"  # a free account gets its free month at once
    assert Credit.objects.get().months_remaining == 0


def test_a_coupon_needs_exactly_one_kind_of_discount(staff_client, db):
    response = staff_client.post(
        reverse("admin:billing_coupon_add"),
        {
            "code": "BOTH",
            "name": "Both",
            "percent_off": 10,
            "amount_off_cents": 500,
            "currency": "usd",
            "duration": "once",
            "is_active": "on",
            "created_at_0": "2026-11-01",
            "created_at_1": "10:00:00",
            "redemptions-TOTAL_FORMS": 0,
            "redemptions-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "Give either a percent or an amount off, not both." in response.content.decode()
    assert not Coupon.objects.filter(code="BOTH").exists()
