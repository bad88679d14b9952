"""Retention cohorts: people grouped by the month they signed up, and the share active in each month after."""

from dataclasses import dataclass
from datetime import UTC, date

from django.db.models import Count, DateField
from django.db.models.functions import TruncMonth

from insights.metrics.periods import add_months, day_end, day_start, month_start, months_between
from insights.models import Event
from teams.models import User

COHORT_MONTHS = 12


@dataclass(frozen=True)
class Cohort:
    month: date
    size: int
    # retained[k]: the share of the cohort active in its k-th month after signing up (0 = the signup
    # month), for the months that have begun; None when the cohort is empty.
    retained: list[float | None]
    active: list[int]


def retention_cohorts(*, day: date, months: int = COHORT_MONTHS) -> list[Cohort]:
    """Monthly retention cohorts as of a day: the people who signed up in each of the last `months`
    calendar months (the day's month included), and for each month since, the share of them who were
    active (the actor of any event) in that month. Two grouped queries: cohort sizes, and distinct
    active people per (signup month, activity month)."""
    first = add_months(month_start(day), -(months - 1))
    since, until = day_start(first), day_end(day)
    signup_month = TruncMonth("date_joined", output_field=DateField(), tzinfo=UTC)
    sizes = dict(
        User.objects.filter(date_joined__gte=since, date_joined__lt=until)
        .annotate(cohort=signup_month)
        .values_list("cohort")
        .annotate(n=Count("pk"))
        .order_by()
    )
    active_rows = (
        Event.objects.filter(
            actor__date_joined__gte=since, actor__date_joined__lt=until, occurred_at__gte=since, occurred_at__lt=until
        )
        .annotate(
            cohort=TruncMonth("actor__date_joined", output_field=DateField(), tzinfo=UTC),
            month=TruncMonth("occurred_at", output_field=DateField(), tzinfo=UTC),
        )
        .values_list("cohort", "month")
        .annotate(n=Count("actor", distinct=True))
        .order_by()
    )
    active: dict[tuple[date, int], int] = {
        (cohort, months_between(cohort, month)): n for cohort, month, n in active_rows
    }
    cohorts = []
    for offset in range(months):
        cohort = add_months(first, offset)
        size = sizes.get(cohort, 0)
        span = months_between(cohort, day) + 1
        counts = [active.get((cohort, k), 0) for k in range(span)]
        cohorts.append(
            Cohort(
                month=cohort,
                size=size,
                active=counts,
                retained=[round(n / size, 4) if size else None for n in counts],
            )
        )
    return cohorts
