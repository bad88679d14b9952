"""Billing periods without proration: whole months or years counted from a fixed anchor.

Periods are always computed from the subscription's anchor, never from the previous period's
end, so a subscription started on 31 January renews on 28/29 February and again on 31 March
(not on the 28th forever), and one started on 29 February renews on 28 February in common
years and on 29 February in leap years.
"""

from datetime import UTC, date, datetime

from dateutil.relativedelta import relativedelta

from billing.models import Interval

MONTHS_IN = {Interval.MONTH: 1, Interval.YEAR: 12}


def months_in(interval: str) -> int:
    """How many months one period of `interval` lasts."""
    return MONTHS_IN[Interval(interval)]


def period_end(*, anchor: datetime, interval: str, index: int = 0) -> datetime:
    """The end of the `index`-th period (0 = the first) of a subscription anchored at `anchor`."""
    return anchor + relativedelta(months=months_in(interval) * (index + 1))


def next_period(*, anchor: datetime, interval: str, current_end: datetime) -> tuple[datetime, datetime]:
    """The (start, end) of the period that follows the one ending at `current_end`."""
    step = months_in(interval)
    months = (current_end.year - anchor.year) * 12 + (current_end.month - anchor.month)
    # Start from the period boundary at or just before current_end, then walk forward.
    index = max(months // step - 1, 0)
    end = anchor + relativedelta(months=step * index)
    while end <= current_end:
        index += 1
        end = anchor + relativedelta(months=step * index)
    return current_end, end


def usage_period_start(at: datetime) -> date:
    """The first day of the calendar month (in UTC) that metered usage at `at` counts towards."""
    return at.astimezone(UTC).date().replace(day=1)
