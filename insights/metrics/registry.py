"""The metrics by name: where each daily figure is stored and which function defines it.

The API serves these series (`/api/v1/metrics/<name>/`), and the BI dashboard lists every
definition from the defining function's docstring, so a definition is written exactly once.
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from insights.metrics import activity, content, funnel, retention, revenue


@dataclass(frozen=True)
class Metric:
    name: str
    label: object
    family: str  # the DailySnapshot family that stores it
    key: str  # its key in the snapshot's data
    function: Callable

    @property
    def definition(self) -> str:
        return inspect.getdoc(self.function) or ""


METRICS: dict[str, Metric] = {
    metric.name: metric
    for metric in [
        Metric("mrr", _("MRR (cents)"), "revenue", "mrr", revenue.mrr),
        Metric("arr", _("ARR (cents)"), "revenue", "arr", revenue.arr),
        Metric("arpu", _("ARPU (cents)"), "revenue", "arpu", revenue.arpu),
        Metric("customers", _("Paying customers"), "revenue", "customers", revenue.mrr_movements),
        Metric("new_mrr", _("New MRR (cents)"), "revenue", "new", revenue.mrr_movements),
        Metric("expansion_mrr", _("Expansion MRR (cents)"), "revenue", "expansion", revenue.mrr_movements),
        Metric("contraction_mrr", _("Contraction MRR (cents)"), "revenue", "contraction", revenue.mrr_movements),
        Metric("churned_mrr", _("Churned MRR (cents)"), "revenue", "churned", revenue.mrr_movements),
        Metric("reactivation_mrr", _("Reactivation MRR (cents)"), "revenue", "reactivation", revenue.mrr_movements),
        Metric("new_customers", _("New customers"), "revenue", "new_customers", revenue.mrr_movements),
        Metric("churned_customers", _("Churned customers"), "revenue", "churned_customers", revenue.mrr_movements),
        Metric("total_users", _("Total users"), "users", "total_users", activity.active_users),
        Metric("dau", _("Daily active users"), "users", "dau", activity.active_users),
        Metric("wau", _("Weekly active users"), "users", "wau", activity.active_users),
        Metric("mau", _("Monthly active users"), "users", "mau", activity.active_users),
        Metric("stickiness", _("Stickiness (DAU ÷ MAU)"), "users", "stickiness", activity.stickiness),
        Metric("visitors", _("Visitors"), "funnel", "visitors", funnel.funnel_counts),
        Metric("signups", _("Signups"), "funnel", "signups", funnel.funnel_counts),
        Metric("verified", _("Verified signups"), "funnel", "verified", funnel.funnel_counts),
        Metric("activated", _("Signups who made a first video"), "funnel", "first_video", funnel.funnel_counts),
        Metric("videos_created", _("Videos created"), "content", "videos_created", content.content_figures),
    ]
}

# Every definition the dashboard explains, in reading order (derived figures included).
DEFINITIONS: list[tuple[object, Callable]] = [
    (_("MRR"), revenue.mrr),
    (_("Invoice monthly value"), revenue.invoice_monthly_value),
    (_("MRR movements"), revenue.mrr_movements),
    (_("ARR"), revenue.arr),
    (_("ARPU"), revenue.arpu),
    (_("Customer churn"), revenue.customer_churn_rate),
    (_("Revenue churn"), revenue.revenue_churn_rate),
    (_("Monthly rate"), revenue.monthly_rate),
    (_("LTV"), revenue.ltv),
    (_("Acquisition spend"), revenue.acquisition_spend),
    (_("CAC"), revenue.cac),
    (_("LTV:CAC"), revenue.ltv_to_cac),
    (_("Payback"), revenue.payback_months),
    (_("DAU, WAU, MAU"), activity.active_users),
    (_("Stickiness"), activity.stickiness),
    (_("Feature adoption"), activity.feature_adoption),
    (_("Growth"), activity.growth_rate),
    (_("Funnel counts"), funnel.funnel_counts),
    (_("Funnel conversion"), funnel.steps_from_counts),
    (_("Retention cohorts"), retention.retention_cohorts),
    (_("Content"), content.content_figures),
    (_("Average length"), content.average_length),
]


def metric_series(*, metric: Metric, start: date, end: date) -> list[dict]:
    """The metric's daily values from the snapshots of the days `start` to `end` (one query); a day
    without a snapshot is left out."""
    from insights.models import DailySnapshot

    rows = DailySnapshot.objects.filter(family=metric.family, day__gte=start, day__lte=end).order_by("day")
    return [{"day": day, "value": data.get(metric.key)} for day, data in rows.values_list("day", "data")]
