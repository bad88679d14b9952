from datetime import timedelta

import pytest
from django.utils import timezone

from billing import limits
from billing.limits import FREE_LIMITS, Limit
from billing.models import Subscription
from billing.services import subscription_start
from config.errors import LimitReached
from teams.models import Membership


def make_subscription(user, plan, *, status=Subscription.Status.ACTIVE, **fields):
    now = timezone.now()
    return Subscription.objects.create(
        user=user,
        plan=plan,
        status=status,
        current_period_start=fields.pop("start", now - timedelta(days=3)),
        current_period_end=fields.pop("end", now + timedelta(days=27)),
        **fields,
    )


def test_the_seeded_free_plan_carries_the_free_limits(free_plan):
    assert {key: getattr(free_plan, key) for key in Limit.values} == FREE_LIMITS


def test_an_account_without_a_subscription_is_on_free(creator):
    assert limits.plan_code_for(creator) == "free"
    assert limits.value(creator, Limit.VIDEOS_PER_MONTH) == 10
    assert not limits.allows(creator, Limit.BRANDING)
    with pytest.raises(LimitReached) as error:
        limits.check(creator, Limit.BRANDING)
    assert error.value.code == "limit_branding"


def test_a_pro_subscriber_gets_pro_limits(creator, pro_plan):
    subscription_start(user=creator, plan=pro_plan, interval="month")
    assert limits.plan_code_for(creator) == "pro"
    assert limits.allows(creator, Limit.BRANDING)
    assert limits.allows(creator, Limit.PRO_TEMPLATES)
    assert limits.allows(creator, Limit.VIDEOS_PER_MONTH, used=150)
    limits.check(creator, Limit.EXPORT_BATCH_SIZE, used=0, adding=50)
    with pytest.raises(LimitReached):
        limits.check(creator, Limit.EXPORT_BATCH_SIZE, used=0, adding=51)


def test_counting_limits_say_no_only_past_the_limit(creator):
    assert limits.allows(creator, Limit.VIDEOS_PER_MONTH, used=9)
    assert not limits.allows(creator, Limit.VIDEOS_PER_MONTH, used=10)
    with pytest.raises(LimitReached, match="10"):
        limits.check(creator, Limit.VIDEOS_PER_MONTH, used=10)


def test_unknown_limit_keys_are_a_programming_error(creator):
    with pytest.raises(ValueError):
        limits.value(creator, "rockets")


def test_staff_edits_to_plan_limits_apply_at_once(creator, pro_plan):
    make_subscription(creator, pro_plan)
    pro_plan.videos_per_month = None  # unlimited
    pro_plan.save(update_fields=["videos_per_month"])
    assert limits.value(creator, Limit.VIDEOS_PER_MONTH) is None
    assert limits.allows(creator, Limit.VIDEOS_PER_MONTH, used=10_000)


def test_a_team_is_on_its_owners_plan(team, creator, teammate, pro_plan):
    assert limits.plan_code_for(team) == "free"
    assert not limits.allows(team, Limit.BRANDING)
    make_subscription(creator, pro_plan)
    assert limits.plan_code_for(team) == "pro"
    assert limits.value(team, Limit.TEAM_SEATS) == pro_plan.team_seats


def test_a_non_owner_members_subscription_does_not_upgrade_the_team(team, teammate, pro_plan):
    make_subscription(teammate, pro_plan)
    assert limits.plan_code_for(teammate) == "pro"
    assert limits.plan_code_for(team) == "free"
    Membership.objects.filter(team=team, user=teammate).update(role=Membership.Role.OWNER)
    assert limits.plan_code_for(team) == "pro"


def test_a_canceled_subscription_means_free_again_and_nothing_is_deleted(creator, pro_plan):
    subscription = make_subscription(creator, pro_plan, status=Subscription.Status.CANCELED)
    assert limits.plan_code_for(creator) == "free"
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_past_due_keeps_the_plan_during_the_grace_period_only(creator, pro_plan, settings):
    settings.BILLING_PAST_DUE_GRACE_DAYS = 7
    subscription = make_subscription(
        creator, pro_plan, status=Subscription.Status.PAST_DUE, past_due_since=timezone.now() - timedelta(days=6)
    )
    assert limits.plan_code_for(creator) == "pro"
    subscription.past_due_since = timezone.now() - timedelta(days=8)
    subscription.save(update_fields=["past_due_since"])
    assert limits.plan_code_for(creator) == "free"


def test_trialing_accounts_have_the_plan(creator, pro_plan):
    make_subscription(creator, pro_plan, status=Subscription.Status.TRIALING)
    assert limits.allows(creator, Limit.PRO_TEMPLATES)


def test_a_limit_lookup_costs_at_most_two_queries(creator, team, teammate, pro_plan, django_assert_max_num_queries):
    # The team has a member besides its owner, whose account must not be looked up too.
    with django_assert_max_num_queries(2):
        limits.value(creator, Limit.BRANDING)
    make_subscription(creator, pro_plan)
    with django_assert_max_num_queries(1):
        limits.value(creator, Limit.BRANDING)
    with django_assert_max_num_queries(1):
        limits.value(team, Limit.BRANDING)
    with django_assert_max_num_queries(2):
        limits.limits_for(creator)


def test_a_cancelled_subscription_stops_counting_at_period_end_even_before_the_renewal_task(creator, pro_plan):
    make_subscription(creator, pro_plan, cancel_at_period_end=True, end=timezone.now() - timedelta(minutes=1))
    assert limits.plan_code_for(creator) == "free"
