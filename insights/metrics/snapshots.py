"""The figures each daily snapshot family stores for one day (written by insights.services.snapshots)."""

from collections.abc import Callable
from dataclasses import asdict
from datetime import date, timedelta

from insights.metrics import activity, content, funnel, retention, revenue
from insights.metrics.periods import day_end
from teams.models import User


def _revenue(day: date) -> dict:
    moves = revenue.mrr_movements(start=day_end(day - timedelta(days=1)), end=day_end(day))
    return {
        **moves.as_dict(),
        "mrr": moves.end_mrr,
        "customers": moves.end_customers,
        "arr": revenue.arr(mrr_cents=moves.end_mrr),
        "arpu": revenue.arpu(mrr_cents=moves.end_mrr, customers=moves.end_customers),
    }


def _users(day: date) -> dict:
    active = activity.active_users(day=day)
    adoption = activity.feature_adoption(start=day - timedelta(days=29), end=day)
    return {
        "total_users": User.objects.filter(date_joined__lt=day_end(day)).count(),
        **active,
        "stickiness": activity.stickiness(dau=active["dau"], mau=active["mau"]),
        "adoption_30d": [asdict(row) for row in adoption],
    }


def _content(day: date) -> dict:
    return content.content_figures(start=day, end=day)


def _funnel(day: date) -> dict:
    return funnel.funnel_counts(start=day, end=day)


def _cohorts(day: date) -> dict:
    return {
        "cohorts": [
            {"month": cohort.month.isoformat(), "size": cohort.size, "active": cohort.active}
            for cohort in retention.retention_cohorts(day=day)
        ]
    }


# family → what it stores for a day. Signups of a day keep converting afterwards, so the funnel
# family of recent days is rebuilt (insights.services.snapshots.FUNNEL_SETTLE_DAYS).
FAMILIES: dict[str, Callable[[date], dict]] = {
    "revenue": _revenue,
    "users": _users,
    "content": _content,
    "funnel": _funnel,
    "cohorts": _cohorts,
}
