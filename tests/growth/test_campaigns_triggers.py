"""Who each of the nine lifecycle campaigns finds, on a fixed clock; and the customer-success segments."""

import pytest

from growth.campaign_audiences import campaign_recipients
from growth.campaign_models import CampaignSend, EmailOptOut
from growth.campaign_segments import segment_condition
from growth.services.campaigns import campaigns_evaluate
from insights.activity import users_at_risk
from teams.models import User
from tests.growth.campaigns import NOW, campaign, days_ago, make_pro, person, signed_in, videos_for

pytestmark = pytest.mark.django_db


def recipients(key: str) -> set[str]:
    return set(campaign_recipients(campaign(key), NOW).values_list("email", flat=True))


def test_welcome_goes_to_people_who_just_signed_up_not_to_last_years():
    new = person(joined_days_ago=0.1, email="new@example.com")
    person(joined_days_ago=400, email="old@example.com")
    assert recipients("welcome") == {new.email}


def test_first_video_tips_on_day_one_only_without_a_video():
    without = person(joined_days_ago=1.2, email="without@example.com")
    with_video = person(joined_days_ago=1.2, email="with@example.com")
    videos_for(with_video, 1)
    person(joined_days_ago=0.5, email="too-early@example.com")
    assert recipients("first-video-tips") == {without.email}


def test_template_showcase_on_day_three_with_fewer_than_three_videos():
    two = person(joined_days_ago=3.5, email="two@example.com")
    videos_for(two, 2)
    three = person(joined_days_ago=3.5, email="three@example.com")
    videos_for(three, 3)
    assert recipients("template-showcase") == {two.email}


def test_activation_nudge_on_day_seven_still_without_a_video():
    idle = person(joined_days_ago=7.5, email="idle@example.com")
    busy = person(joined_days_ago=7.5, email="busy@example.com")
    videos_for(busy, 1, days_ago_made=6)
    person(joined_days_ago=12, email="long-ago@example.com")  # past the catch-up window
    assert recipients("activation-nudge") == {idle.email}


def test_feature_discovery_two_days_after_the_first_video():
    due = person(joined_days_ago=10, email="due@example.com")
    videos_for(due, 1, days_ago_made=2.5)
    fresh = person(joined_days_ago=10, email="fresh@example.com")
    videos_for(fresh, 1, days_ago_made=1)
    earlier = person(joined_days_ago=10, email="earlier@example.com")
    videos_for(earlier, 1, days_ago_made=9)
    videos_for(earlier, 1, days_ago_made=2.5)  # not the first video
    assert recipients("feature-discovery") == {due.email}


def test_pro_upgrade_at_ten_videos_on_free_never_to_pro_accounts():
    free_ten = person(joined_days_ago=40, email="free10@example.com")
    videos_for(free_ten, 10)
    free_nine = person(joined_days_ago=40, email="free9@example.com")
    videos_for(free_nine, 9)
    pro_ten = person(joined_days_ago=40, email="pro10@example.com")
    videos_for(pro_ten, 10)
    make_pro(pro_ten)
    assert recipients("pro-upgrade") == {free_ten.email}


def test_we_miss_you_after_thirty_days_without_a_sign_in_or_a_video():
    lapsed = person(joined_days_ago=90, email="lapsed@example.com")
    signed_in(lapsed, days_ago_at=30.5)
    recent = person(joined_days_ago=90, email="recent@example.com")
    signed_in(recent, days_ago_at=30.5)
    videos_for(recent, 1, days_ago_made=3)
    assert recipients("we-miss-you") == {lapsed.email}


def test_feedback_request_after_sixty_days_inactive():
    gone = person(joined_days_ago=200, email="gone@example.com")
    signed_in(gone, days_ago_at=61)
    thirty = person(joined_days_ago=200, email="thirty@example.com")
    signed_in(thirty, days_ago_at=31)
    assert recipients("feedback-request") == {gone.email}


def test_newsletter_goes_to_everyone_active_once_per_month():
    first = person(joined_days_ago=200, email="a@example.com")
    person(joined_days_ago=3, email="b@example.com", is_active=False)
    assert recipients("newsletter") == {first.email}
    campaigns_evaluate(now=NOW)
    assert recipients("newsletter") == set()
    next_month = NOW.replace(month=4)
    assert set(campaign_recipients(campaign("newsletter"), next_month).values_list("email", flat=True)) == {first.email}


def test_the_sending_window_is_the_recipients_local_time():
    utc = person(joined_days_ago=0.1, email="utc@example.com")
    person(joined_days_ago=0.1, email="tokyo@example.com", time_zone="Asia/Tokyo")  # 21:00 there
    person(joined_days_ago=0.1, email="la@example.com", time_zone="America/Los_Angeles")  # 05:00 there
    berlin = person(joined_days_ago=0.1, email="berlin@example.com", time_zone="Europe/Berlin")  # 13:00
    assert recipients("welcome") == {utc.email, berlin.email}


def test_people_who_opted_out_of_the_category_are_not_found():
    out = person(joined_days_ago=0.1, email="out@example.com")
    EmailOptOut.objects.create(user=out, category="tips")
    newsletter_only_out = person(joined_days_ago=0.1, email="in@example.com")
    EmailOptOut.objects.create(user=newsletter_only_out, category="newsletter")
    assert recipients("welcome") == {newsletter_only_out.email}


def test_a_paused_campaign_claims_nobody():
    person(joined_days_ago=0.1)
    welcome = campaign("welcome")
    welcome.status = welcome.Status.PAUSED
    welcome.save(update_fields=["status"])
    assert campaigns_evaluate(now=NOW).get("welcome") is None
    assert not CampaignSend.objects.filter(campaign=welcome).exists()


def test_at_risk_means_older_than_fourteen_days_with_no_sign_in_and_no_video_in_the_last_fourteen():
    risky = person(joined_days_ago=40, email="risky@example.com")
    signed_in(risky, days_ago_at=20)
    logged = person(joined_days_ago=40, email="logged@example.com")
    signed_in(logged, days_ago_at=3)
    maker = person(joined_days_ago=40, email="maker@example.com")
    videos_for(maker, 1, days_ago_made=13)
    person(joined_days_ago=10, email="new@example.com")
    assert set(users_at_risk(NOW).values_list("email", flat=True)) == {risky.email}


def test_customer_success_segments():
    new = person(joined_days_ago=2, email="new@example.com")
    active_free = person(joined_days_ago=20, email="free@example.com")
    signed_in(active_free, days_ago_at=1)
    idle_free = person(joined_days_ago=20, email="idle@example.com")
    pro = person(joined_days_ago=20, email="pro@example.com")
    signed_in(pro, days_ago_at=1)
    make_pro(pro)

    def segment(name: str) -> set[str]:
        return set(User.objects.filter(segment_condition(name, NOW)).values_list("email", flat=True))

    assert segment("new") == {new.email}
    assert segment("active_free") == {active_free.email}
    assert segment("pro") == {pro.email}
    assert idle_free.email not in segment("active_free")


def test_a_campaign_limited_to_a_segment_finds_only_that_segment():
    free = person(joined_days_ago=0.1, email="free@example.com")
    pro = person(joined_days_ago=0.1, email="pro@example.com")
    make_pro(pro)
    welcome = campaign("welcome")
    welcome.segment = "pro"
    welcome.save(update_fields=["segment"])
    assert recipients("welcome") == {pro.email}
    assert free.email not in recipients("welcome")


def test_a_past_due_subscription_counts_as_pro_only_within_the_grace_period(settings):
    settings.BILLING_PAST_DUE_GRACE_DAYS = 7
    graced = person(joined_days_ago=40, email="graced@example.com")
    make_pro(graced).__class__.objects.filter(user=graced).update(status="past_due", past_due_since=days_ago(3))
    lapsed = person(joined_days_ago=40, email="lapsed@example.com")
    make_pro(lapsed).__class__.objects.filter(user=lapsed).update(status="past_due", past_due_since=days_ago(9))
    assert set(User.objects.filter(segment_condition("pro", NOW)).values_list("email", flat=True)) == {graced.email}
