"""Day and month boundaries shared by the metrics (UTC; a day is measured at its end)."""

from datetime import UTC, date, datetime, time, timedelta

from django.db import connection


def day_start(day: date) -> datetime:
    """The first instant of `day` (UTC)."""
    return datetime.combine(day, time.min, tzinfo=UTC)


def day_end(day: date) -> datetime:
    """The instant a figure "on `day`" is measured at: the start of the next day."""
    return day_start(day + timedelta(days=1))


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, second: date) -> int:
    """Whole calendar months from `first`'s month to `second`'s month."""
    return (second.year - first.year) * 12 + second.month - first.month


def rows(sql: str, params: tuple | list) -> list[tuple]:
    """Run one read-only statement built around a queryset's SQL (an aggregate over a grouped query)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
