"""The funnel, retention cohorts, DAU/WAU/MAU, feature adoption and growth, against hand-counted histories."""

from datetime import date

import pytest

from insights.event_names import EventName
from insights.metrics import activity, funnel, retention
from tests.insights.metrics_fixtures import at, event, invoice, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def march_signups():
    """Ten visitors in March (one of them twice), five signups, four verified, two of them made a video,
    one of those pays (and one who pays never made a video)."""
    for n in range(10):
        event(EventName.PAGE_VIEWED, None, at(3, 1 + n), visitor=f"anon-{n}")
    event(EventName.PAGE_VIEWED, None, at(3, 20), visitor="anon-0")  # a returning visitor counts once
    event(EventName.PAGE_VIEWED, None, at(4, 2), visitor="anon-april")  # outside the period
    ana = person(at(3, 3))
    ben = person(at(3, 4))
    cy = person(at(3, 31, hour=23))  # the last hour of the period
    person(at(3, 5), verified=False)
    person(at(4, 1))  # April: outside
    event(EventName.VIDEO_CREATED, ana, at(3, 6))
    event(EventName.VIDEO_CREATED, ben, at(4, 9))  # after the period still counts for a March signup
    invoice(ana, at(3, 7), at(4, 7))
    invoice(cy, at(4, 1), at(5, 1), credit=1200)  # a free month is not paying for Pro
    dee = person(at(3, 6))
    invoice(dee, at(3, 7), at(4, 7))  # pays without a video: not past the first-video step
    return ana, ben, cy


def test_the_funnel_counts_and_step_conversions(march_signups):
    steps = funnel.funnel_steps(start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert [(s.name, s.count) for s in steps] == [
        ("visitors", 10),
        ("signups", 5),
        ("verified", 4),
        ("first_video", 2),
        ("pro", 1),
    ]
    assert [s.conversion for s in steps] == [None, 0.5, 0.8, 0.5, 0.5]
    assert [s.drop_off for s in steps] == [None, 0.5, 0.2, 0.5, 0.5]
    # Losing exactly 20 % is not "more than 20 %".
    assert [s.flagged for s in steps] == [False, True, False, True, True]


def test_steps_losing_more_than_20_percent_are_flagged():
    steps = funnel.steps_from_counts({"visitors": 100, "signups": 80, "verified": 79, "first_video": 20, "pro": 0})
    # 80 of 100 keeps exactly 80 %: a 20 % loss is not "more than 20 %".
    assert [s.flagged for s in steps] == [False, False, False, True, True]
    empty = funnel.steps_from_counts({})
    assert all(s.conversion is None and not s.flagged for s in empty)


def test_active_users_on_a_day_in_the_week_and_in_the_month():
    daily, weekly, monthly, stale = (person(at(1, 1)) for _ in range(4))
    day = date(2026, 3, 31)
    event(EventName.USER_LOGGED_IN, daily, at(3, 31, hour=8))
    event(EventName.USER_LOGGED_IN, daily, at(3, 31, hour=9))
    event(EventName.VIDEO_CREATED, weekly, at(3, 25))  # 7th day back: inside the week
    event(EventName.USER_LOGGED_IN, monthly, at(3, 2))  # 30th day back: inside the month
    event(EventName.USER_LOGGED_IN, stale, at(3, 1, hour=23))  # 31st day back: outside
    event(EventName.USER_LOGGED_IN, stale, at(4, 1))  # the next day: outside
    event(EventName.PAGE_VIEWED, None, at(3, 31), visitor="anon")  # nobody signed in
    assert activity.active_users(day=day) == {"dau": 1, "wau": 2, "mau": 3}
    assert activity.stickiness(dau=1, mau=3) == pytest.approx(0.3333, abs=1e-4)
    assert activity.stickiness(dau=0, mau=0) is None


def test_feature_adoption_is_the_share_of_active_people_who_used_each_feature():
    a, b, c, d = (person(at(1, 1)) for _ in range(4))
    for actor in (a, b, c, d):
        event(EventName.USER_LOGGED_IN, actor, at(3, 10))
    event(EventName.TEMPLATE_USED, a, at(3, 11))
    event(EventName.TEMPLATE_USED, a, at(3, 12))
    event(EventName.TEMPLATE_USED, b, at(3, 12))
    event(EventName.EXPORT_READY, c, at(3, 12))
    event(EventName.EXPORT_READY, d, at(2, 12))  # before the period
    rows = {row.name: row for row in activity.feature_adoption(start=date(2026, 3, 1), end=date(2026, 3, 31))}
    assert (rows["template.used"].users, rows["template.used"].share) == (2, 0.5)
    assert (rows["export.ready"].users, rows["export.ready"].share) == (1, 0.25)
    assert rows["comment.created"].users == 0


def test_growth_against_the_previous_period():
    assert activity.growth_rate(current=150, previous=100) == 0.5
    assert activity.growth_rate(current=80, previous=100) == -0.2
    assert activity.growth_rate(current=5, previous=0) is None


def test_retention_cohorts_by_signup_month():
    # January: three people; February: one; none in March.
    jan = [person(at(1, 5)), person(at(1, 20)), person(at(1, 31, hour=23))]
    feb = person(at(2, 1))
    for actor in jan:
        event(EventName.USER_SIGNED_UP, actor, actor.date_joined)
    event(EventName.USER_SIGNED_UP, feb, feb.date_joined)
    event(EventName.USER_LOGGED_IN, jan[0], at(2, 3))  # January cohort, month 1
    event(EventName.USER_LOGGED_IN, jan[0], at(2, 9))  # the same person again: counted once
    event(EventName.USER_LOGGED_IN, jan[1], at(3, 3))  # month 2
    event(EventName.USER_LOGGED_IN, feb, at(3, 31, hour=23))  # February cohort, month 1
    cohorts = {c.month: c for c in retention.retention_cohorts(day=date(2026, 3, 31))}
    assert len(cohorts) == 12
    assert min(cohorts) == date(2025, 4, 1)
    january, february, march = cohorts[date(2026, 1, 1)], cohorts[date(2026, 2, 1)], cohorts[date(2026, 3, 1)]
    assert (january.size, january.active) == (3, [3, 1, 1])
    assert january.retained == [1.0, pytest.approx(0.3333, abs=1e-4), pytest.approx(0.3333, abs=1e-4)]
    assert (february.size, february.active, february.retained) == (1, [1, 1], [1.0, 1.0])
    assert (march.size, march.active, march.retained) == (0, [0], [None])
    assert cohorts[date(2025, 4, 1)].active == [0] * 12
