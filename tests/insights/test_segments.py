"""Segments and loyalty tiers: boundaries of lifetime value and of inactivity, recomputed in one
statement, and the selectors campaigns use."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from billing.models import Payment
from insights.event_names import EventName
from insights.models import CustomerProfile, Event
from insights.segment_models import Segment, Tier
from insights.selectors import users_in_segment, users_in_tier
from insights.services.segments import customer_profiles_recompute
from teams.models import User
from tests.factories import UserFactory
from tests.videos.factories import VideoFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def person(*, joined_days_ago: int = 400, paid: list[int] = (), login_days_ago: int | None = 1) -> User:
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(date_joined=NOW - timedelta(days=joined_days_ago))
    for cents in paid:
        Payment.objects.create(user=user, amount_cents=cents, status=Payment.Status.PAID, paid_at=NOW)
    if login_days_ago is not None:
        Event.objects.create(
            name=EventName.USER_LOGGED_IN, actor=user, occurred_at=NOW - timedelta(days=login_days_ago)
        )
    return user


def profile(user: User) -> CustomerProfile:
    return CustomerProfile.objects.get(user=user)


@pytest.mark.parametrize(
    ("paid_cents", "segment", "tier"),
    [
        ([], Segment.OTHER, Tier.BRONZE),
        ([9_999], Segment.OTHER, Tier.BRONZE),
        ([10_000], Segment.OTHER, Tier.SILVER),
        ([19_999], Segment.OTHER, Tier.SILVER),
        ([10_000, 10_000], Segment.REGULAR, Tier.SILVER),
        ([49_999], Segment.REGULAR, Tier.SILVER),
        ([50_000], Segment.REGULAR, Tier.GOLD),
        ([99_999], Segment.REGULAR, Tier.GOLD),
        ([100_000], Segment.WHALE, Tier.GOLD),
        ([150_000, 49_999], Segment.WHALE, Tier.GOLD),
        ([200_000], Segment.WHALE, Tier.PLATINUM),
    ],
)
def test_lifetime_value_sets_segment_and_tier_at_the_boundaries(paid_cents, segment, tier):
    user = person(paid=paid_cents)

    customer_profiles_recompute(now=NOW)

    assert (profile(user).segment, profile(user).tier) == (segment, tier)
    assert profile(user).lifetime_value_cents == sum(paid_cents)


def test_only_paid_payments_count_towards_lifetime_value():
    user = person(paid=[100_000])
    for status in (Payment.Status.OPEN, Payment.Status.FAILED, Payment.Status.VOID):
        Payment.objects.create(user=user, amount_cents=500_000, status=status)

    customer_profiles_recompute(now=NOW)

    assert profile(user).lifetime_value_cents == 100_000


@pytest.mark.parametrize(
    ("joined_days_ago", "login_days_ago", "segment"),
    [
        (400, 13, Segment.WHALE),  # active within 14 days
        (400, 15, Segment.AT_RISK),
        (400, 89, Segment.AT_RISK),
        (400, 91, Segment.CHURNED),
        (400, None, Segment.CHURNED),  # never signed in since joining 400 days ago
        (13, None, Segment.WHALE),  # too new to be at risk
        (20, None, Segment.AT_RISK),  # joined 20 days ago, quiet since
        (89, None, Segment.AT_RISK),  # inactive since joining, but not yet 90 days
    ],
)
def test_inactivity_makes_people_at_risk_then_churned_whatever_they_spent(joined_days_ago, login_days_ago, segment):
    user = person(joined_days_ago=joined_days_ago, paid=[150_000], login_days_ago=login_days_ago)

    customer_profiles_recompute(now=NOW)

    assert profile(user).segment == segment
    assert profile(user).tier == Tier.GOLD  # the tier follows the money alone


def test_a_new_video_counts_as_activity_like_a_sign_in():
    user = person(paid=[30_000], login_days_ago=60)
    video = VideoFactory(owner=user)
    type(video).objects.filter(pk=video.pk).update(created_at=NOW - timedelta(days=3))

    customer_profiles_recompute(now=NOW)

    assert profile(user).segment == Segment.REGULAR
    assert abs(profile(user).last_active_at - (NOW - timedelta(days=3))) < timedelta(seconds=1)


def test_recomputing_updates_the_one_profile_in_place():
    user = person(paid=[10_000])
    customer_profiles_recompute(now=NOW)
    Payment.objects.create(user=user, amount_cents=100_000, status=Payment.Status.PAID)

    later = NOW + timedelta(hours=1)
    written = customer_profiles_recompute(now=later)

    assert written == User.objects.count()
    assert CustomerProfile.objects.filter(user=user).count() == 1
    assert (profile(user).segment, profile(user).recomputed_at) == (Segment.WHALE, later)


def test_the_recompute_is_one_statement_whatever_the_number_of_people(django_assert_max_num_queries):
    for n in range(30):
        person(paid=[n * 10_000], login_days_ago=n * 5)

    with django_assert_max_num_queries(3):  # savepoint, the INSERT … SELECT, release
        customer_profiles_recompute(now=NOW)

    assert CustomerProfile.objects.count() == User.objects.count()


def test_campaigns_select_people_by_segment_and_tier():
    whale = person(paid=[250_000])
    regular = person(paid=[30_000])
    churned = person(paid=[30_000], login_days_ago=120)
    customer_profiles_recompute(now=NOW)

    assert list(users_in_segment(Segment.WHALE)) == [whale]
    assert list(users_in_segment(Segment.REGULAR)) == [regular]
    assert list(users_in_segment(Segment.CHURNED)) == [churned]
    assert set(users_in_tier(Tier.SILVER)) == {regular, churned}
    assert list(users_in_tier(Tier.PLATINUM)) == [whale]


def test_staff_filter_profiles_by_segment_and_recompute_them_from_the_admin(staff_client):
    whale = person(paid=[250_000])
    regular = person(paid=[30_000])
    customer_profiles_recompute(now=NOW)
    Payment.objects.create(user=regular, amount_cents=100_000, status=Payment.Status.PAID)
    url = reverse("admin:insights_customerprofile_changelist")

    # The action recomputes everyone, whichever rows were ticked.
    ticked = [profile(whale).pk]
    response = staff_client.post(url, {"action": "recompute_all", "_selected_action": ticked, "index": 0}, follow=True)
    assert response.status_code == 200
    assert profile(regular).segment == Segment.WHALE

    page = staff_client.get(url, {"tier__exact": Tier.PLATINUM}).content.decode()
    assert whale.email in page and regular.email not in page
