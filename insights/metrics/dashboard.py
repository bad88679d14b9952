"""The BI dashboard's figures for a date range, read from the daily snapshots (three small queries).

Every table the page shows is built here once, as plain rows, so the page and its CSV downloads
cannot disagree.
"""

import inspect
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from insights.metrics import activity, content, funnel, revenue
from insights.metrics.periods import add_months, month_start
from insights.metrics.registry import DEFINITIONS
from insights.models import DailySnapshot
from videos.publishing_models import Platform

TREND_MONTHS = 6
HEAT_LEVELS = 5


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)
    # Per row, a CSS class per cell (the cohort heat map); empty for plain tables.
    classes: list[list[str]] = field(default_factory=list)

    @property
    def styled_rows(self) -> list[list[tuple[object, str]]]:
        """Each row's cells with their CSS class ("" without one), for the page."""
        return [
            list(zip(row, self.classes[n] if n < len(self.classes) else [""] * len(row), strict=True))
            for n, row in enumerate(self.rows)
        ]


def money(cents: float | None) -> str:
    return "—" if cents is None else number_format(cents / 100, decimal_pos=2, force_grouping=True)


def percent(share: float | None) -> str:
    return "—" if share is None else f"{number_format(share * 100, decimal_pos=1)} %"


def plain(value: object) -> str:
    return "—" if value is None else number_format(value, force_grouping=True)


def _sum(rows: list[dict], key: str) -> float:
    return sum(row.get(key) or 0 for row in rows)


class _Snapshots:
    """The snapshot rows of a span of days, by family and day."""

    def __init__(self, first: date, last: date) -> None:
        self.by_family: dict[str, dict[date, dict]] = {}
        rows = DailySnapshot.objects.filter(day__gte=first, day__lte=last).exclude(family="cohorts")
        for day, family, data in rows.values_list("day", "family", "data"):
            self.by_family.setdefault(family, {})[day] = data

    def days(self, family: str, start: date, end: date) -> list[dict]:
        rows = self.by_family.get(family, {})
        return [rows[day] for day in sorted(rows) if start <= day <= end]

    def last(self, family: str, start: date, end: date) -> dict:
        rows = self.days(family, start, end)
        return rows[-1] if rows else {}


def _revenue(snaps: _Snapshots, start: date, end: date, previous: tuple[date, date]) -> tuple[Table, dict]:
    days = snaps.days("revenue", start, end)
    previous_mrr = snaps.last("revenue", *previous).get("mrr")
    first, last = (days[0], days[-1]) if days else ({}, {})
    moves = {key: _sum(days, key) for key in ("new", "expansion", "contraction", "churned", "reactivation")}
    new_customers, churned_customers = _sum(days, "new_customers"), _sum(days, "churned_customers")
    churn = revenue.customer_churn_rate(
        churned_customers=churned_customers, start_customers=first.get("start_customers", 0)
    )
    monthly_churn = revenue.monthly_rate(rate=churn, days=len(days))
    revenue_churn = revenue.revenue_churn_rate(
        churned_cents=moves["churned"],
        contraction_cents=moves["contraction"],
        start_mrr_cents=first.get("start_mrr", 0),
    )
    arpu = last.get("arpu")
    ltv = revenue.ltv(arpu_cents=arpu, monthly_churn=monthly_churn)
    spend = revenue.acquisition_spend(start=start, end=end)
    cac = revenue.cac(spend_cents=spend, new_customers=int(new_customers))
    figures = {"mrr": last.get("mrr"), "new_customers": new_customers}
    table = Table(
        "revenue",
        _("Revenue"),
        [_("Metric"), _("Value")],
        [
            [_("MRR at the end"), money(last.get("mrr"))],
            [
                _("MRR against the previous period"),
                percent(activity.growth_rate(current=last.get("mrr"), previous=previous_mrr)),
            ],
            [_("ARR"), money(last.get("arr"))],
            [_("Paying customers"), plain(last.get("customers"))],
            [_("ARPU"), money(arpu)],
            [_("New MRR"), money(moves["new"])],
            [_("Expansion MRR"), money(moves["expansion"])],
            [_("Reactivation MRR"), money(moves["reactivation"])],
            [_("Contraction MRR"), money(moves["contraction"])],
            [_("Churned MRR"), money(moves["churned"])],
            [_("New customers"), plain(int(new_customers))],
            [_("Customer churn in the period"), percent(churn)],
            [_("Customer churn per month"), percent(monthly_churn)],
            [_("Revenue churn in the period"), percent(revenue_churn)],
            [_("LTV"), money(ltv)],
            [_("Acquisition spend"), money(spend)],
            [_("CAC"), money(cac)],
            [_("LTV:CAC"), plain(revenue.ltv_to_cac(ltv_cents=ltv, cac_cents=cac))],
            [_("Payback (months)"), plain(revenue.payback_months(cac_cents=cac, arpu_cents=arpu))],
        ],
    )
    return table, figures


def _users(snaps: _Snapshots, start: date, end: date, previous: tuple[date, date]) -> Table:
    last = snaps.last("users", start, end)
    signups = _sum(snaps.days("funnel", start, end), "signups")
    activated = _sum(snaps.days("funnel", start, end), "first_video")
    before = _sum(snaps.days("funnel", *previous), "signups")
    activation = activated / signups if signups else None
    return Table(
        "users",
        _("Users"),
        [_("Metric"), _("Value")],
        [
            [_("Total users"), plain(last.get("total_users"))],
            [_("Active today (DAU)"), plain(last.get("dau"))],
            [_("Active in 7 days (WAU)"), plain(last.get("wau"))],
            [_("Active in 30 days (MAU)"), plain(last.get("mau"))],
            [_("Stickiness (DAU ÷ MAU)"), percent(last.get("stickiness"))],
            [_("New signups"), plain(int(signups))],
            [_("Signups against the previous period"), percent(activity.growth_rate(current=signups, previous=before))],
            [_("Activation (signups who verified and made a video)"), percent(activation)],
        ],
    )


def _content(snaps: _Snapshots, start: date, end: date, previous: tuple[date, date]) -> list[Table]:
    days = snaps.days("content", start, end)
    created = _sum(days, "videos_created")
    before = _sum(snaps.days("content", *previous), "videos_created")
    length = content.average_length(
        duration_sum=_sum(days, "duration_sum"), with_duration=int(_sum(days, "with_duration"))
    )
    templates: Counter = Counter()
    platforms: Counter = Counter()
    for day in days:
        templates.update(day.get("templates", {}))
        platforms.update(day.get("platforms", {}))
    published = sum(platforms.values())
    labels = dict(Platform.choices)
    return [
        Table(
            "content",
            _("Content"),
            [_("Metric"), _("Value")],
            [
                [_("Videos created"), plain(int(created))],
                [_("Against the previous period"), percent(activity.growth_rate(current=created, previous=before))],
                [_("Average length (seconds)"), plain(length)],
            ],
        ),
        Table(
            "platforms",
            _("Publications by platform"),
            [_("Platform"), _("Published"), _("Share")],
            [[labels.get(p, p), plain(n), percent(n / published)] for p, n in platforms.most_common()],
        ),
        Table(
            "templates",
            _("Popular templates"),
            [_("Template"), _("Videos")],
            [[title, plain(n)] for title, n in templates.most_common(5)],
        ),
    ]


def _trends(snaps: _Snapshots, end: date) -> tuple[Table, dict[str, Any]]:
    rows = []
    chart: dict[str, object] = {
        "labels": [],
        "mrr": [],
        "signups": [],
        "mrr_label": _("MRR"),
        "signups_label": _("Signups"),
    }
    for offset in range(TREND_MONTHS - 1, -1, -1):
        first = add_months(month_start(end), -offset)
        last_day = min(add_months(first, 1) - timedelta(days=1), end)
        revenue_days = snaps.days("revenue", first, last_day)
        closing = revenue_days[-1] if revenue_days else {}
        signups = int(_sum(snaps.days("funnel", first, last_day), "signups"))
        chart["labels"].append(date_format(first, "YEAR_MONTH_FORMAT"))
        chart["mrr"].append(None if closing.get("mrr") is None else closing["mrr"] / 100)
        chart["signups"].append(signups)
        rows.append(
            [
                date_format(first, "YEAR_MONTH_FORMAT"),
                money(closing.get("mrr")),
                plain(closing.get("customers")),
                plain(int(_sum(revenue_days, "new_customers"))),
                plain(int(_sum(revenue_days, "churned_customers"))),
                plain(signups),
                plain(snaps.last("users", first, last_day).get("mau")),
                plain(int(_sum(snaps.days("content", first, last_day), "videos_created"))),
            ]
        )
    headers = [
        _("Month"), _("MRR at month end"), _("Paying customers"), _("New customers"), _("Churned customers"),
        _("Signups"), _("MAU"), _("Videos created"),
    ]  # fmt: skip
    return Table("trends", _("Six-month trends"), headers, rows), chart


def _cohorts(end: date) -> Table:
    row = DailySnapshot.objects.filter(family="cohorts", day__lte=end).order_by("-day").values_list("data").first()
    cohorts = row[0]["cohorts"] if row else []
    width = max((len(c["active"]) for c in cohorts), default=1)
    table = Table(
        "cohorts", _("Retention by signup month"), [_("Cohort"), _("People")] + [f"M{k}" for k in range(width)]
    )
    for cohort in cohorts:
        size = cohort["size"]
        shares = [n / size if size else None for n in cohort["active"]]
        cells = [percent(share) for share in shares] + [""] * (width - len(shares))
        table.rows.append([date_format(date.fromisoformat(cohort["month"]), "YEAR_MONTH_FORMAT"), plain(size), *cells])
        heat = [
            f"heat-{min(int(share * HEAT_LEVELS), HEAT_LEVELS - 1)}" if share is not None else "" for share in shares
        ]
        table.classes.append(["", "", *heat, *[""] * (width - len(shares))])
    return table


def _funnel(snaps: _Snapshots, start: date, end: date) -> Table:
    days = snaps.days("funnel", start, end)
    counts = {name: int(_sum(days, name)) for name, _label in funnel.STEPS}
    return Table(
        "funnel",
        _("Funnel"),
        [_("Step"), _("People"), _("Conversion"), _("Drop-off"), _("Flag")],
        [
            [
                step.label,
                plain(step.count),
                percent(step.conversion),
                percent(step.drop_off),
                _("loses more than 20 %") if step.flagged else "",
            ]
            for step in funnel.steps_from_counts(counts)
        ],
    )


def _adoption(snaps: _Snapshots, start: date, end: date) -> Table:
    rows = snaps.last("users", start, end).get("adoption_30d", [])
    return Table(
        "adoption",
        _("Feature adoption (30 days to the end)"),
        [_("Feature"), _("People"), _("Share of active people")],
        [[row["label"], plain(row["users"]), percent(row["share"])] for row in rows],
    )


def dashboard_tables(*, start: date, end: date) -> dict[str, object]:
    """Every table of the BI dashboard for the days `start` to `end`, from the daily snapshots."""
    length = (end - start).days + 1
    previous = (start - timedelta(days=length), start - timedelta(days=1))
    trend_start = add_months(month_start(end), -(TREND_MONTHS - 1))
    snaps = _Snapshots(min(previous[0], trend_start), end)
    revenue_table, figures = _revenue(snaps, start, end, previous)
    trends, chart = _trends(snaps, end)
    tables = [
        revenue_table,
        _users(snaps, start, end, previous),
        *_content(snaps, start, end, previous),
        trends,
        _cohorts(end),
        _funnel(snaps, start, end),
        _adoption(snaps, start, end),
    ]
    covered = len(snaps.days("revenue", start, end))
    return {
        "tables": {table.key: table for table in tables},
        "days": length,
        "days_with_snapshots": covered,
        "trend_chart": chart,
        "figures": figures,
    }


def definitions() -> list[tuple[str, str]]:
    """(name, definition) of every metric, from the defining functions' docstrings."""
    return [(str(label), inspect.getdoc(function) or "") for label, function in DEFINITIONS]
