from datetime import UTC, datetime

import pytest

from billing.periods import next_period, period_end


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("anchor", "expected_end"),
    [
        (at(2026, 1, 31), at(2026, 2, 28)),  # common year: clamps to the last day of February
        (at(2028, 1, 31), at(2028, 2, 29)),  # leap year
        (at(2026, 3, 31), at(2026, 4, 30)),
        (at(2026, 12, 15), at(2027, 1, 15)),  # crosses the year
    ],
)
def test_a_monthly_period_ends_on_the_same_day_next_month_clamped_to_the_month_end(anchor, expected_end):
    assert period_end(anchor=anchor, interval="month") == expected_end


def test_monthly_periods_return_to_the_31st_after_a_short_month():
    anchor = at(2026, 1, 31)
    ends = [period_end(anchor=anchor, interval="month", index=i) for i in range(4)]
    assert ends == [at(2026, 2, 28), at(2026, 3, 31), at(2026, 4, 30), at(2026, 5, 31)]


def test_next_period_walks_from_the_anchor_not_from_the_clamped_end():
    anchor = at(2026, 1, 31)
    assert next_period(anchor=anchor, interval="month", current_end=at(2026, 2, 28)) == (
        at(2026, 2, 28),
        at(2026, 3, 31),
    )
    assert next_period(anchor=anchor, interval="month", current_end=at(2026, 3, 31)) == (
        at(2026, 3, 31),
        at(2026, 4, 30),
    )


def test_annual_periods_from_february_29_fall_on_the_28th_except_in_leap_years():
    anchor = at(2024, 2, 29)
    ends = [period_end(anchor=anchor, interval="year", index=i) for i in range(4)]
    assert ends == [at(2025, 2, 28), at(2026, 2, 28), at(2027, 2, 28), at(2028, 2, 29)]
    assert next_period(anchor=anchor, interval="year", current_end=at(2027, 2, 28)) == (
        at(2027, 2, 28),
        at(2028, 2, 29),
    )


def test_next_period_catches_up_when_the_current_end_is_off_the_anchor_grid():
    anchor = at(2026, 1, 10)
    start, end = next_period(anchor=anchor, interval="month", current_end=at(2026, 3, 20))
    assert (start, end) == (at(2026, 3, 20), at(2026, 4, 10))
