"""The health score: 0-100 from five components, each scored 0-100 from our own data by a stated rule.

| component      | weight | 100 points                        | 0 points                      | measured over        |
|----------------|--------|-----------------------------------|-------------------------------|----------------------|
| uptime         | 30 %   | ≥ 99.9 % of health-check runs ok  | ≤ 99 %                        | the last 30 days     |
| performance    | 20 %   | p95 of all requests ≤ 200 ms      | p95 ≥ 1000 ms                 | the last 7 days      |
| error rate     | 20 %   | no 5xx answers                    | ≥ 5 % 5xx answers             | the last 7 days      |
| user growth    | 15 %   | signups +20 % on the 30 days before | -20 % or worse (flat: 50)   | the last 30 days     |
| revenue growth | 15 %   | revenue +20 % on the 30 days before | -20 % or worse (flat: 50)   | the last 30 days     |

Between the ends a component is linear. A component without data (no history yet, no requests,
nothing to compare with) is left out and the other weights are scaled up, so a new installation is
not graded F for what it has not measured; the page says which components were left out.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext_lazy as _

from billing.selectors import revenue_cents_between
from insights import monitoring_selectors as selectors

WEIGHTS = {"uptime": 30, "performance": 20, "error_rate": 20, "user_growth": 15, "revenue_growth": 15}
LABELS = {
    "uptime": _("Uptime"),
    "performance": _("Performance"),
    "error_rate": _("Error rate"),
    "user_growth": _("User growth"),
    "revenue_growth": _("Revenue growth"),
}
# (lowest score of the grade, grade), best first.
GRADES: tuple[tuple[float, str], ...] = (
    (98, "A+"), (95, "A"), (90, "B+"), (85, "B"), (80, "C+"), (75, "C"), (70, "D"),
)  # fmt: skip


def grade_for(score: float) -> str:
    """The letter grade: A+ 98-100, A 95-98, B+ 90-95 … D 70-75, F below 70 (lower bounds included)."""
    for lowest, grade in GRADES:
        if score >= lowest:
            return grade
    return "F"


def _linear(value: float, *, zero_at: float, full_at: float) -> float:
    """0 at `zero_at`, 100 at `full_at`, linear between, clamped (either direction)."""
    share = (value - zero_at) / (full_at - zero_at)
    return round(100 * min(max(share, 0.0), 1.0), 2)


def uptime_score(ratio: float | None) -> float | None:
    return None if ratio is None else _linear(ratio, zero_at=0.99, full_at=0.999)


def performance_score(p95_ms: float | None) -> float | None:
    return None if p95_ms is None else _linear(p95_ms, zero_at=1000, full_at=200)


def error_rate_score(rate: float | None) -> float | None:
    return None if rate is None else _linear(rate, zero_at=0.05, full_at=0.0)


def growth_score(current: float, previous: float) -> float | None:
    """50 when flat, 100 at +20 % or more, 0 at -20 % or worse; from nothing to something is 100."""
    if not previous:
        return None if not current else 100.0
    return _linear((current - previous) / previous, zero_at=-0.2, full_at=0.2)


@dataclass(frozen=True)
class Component:
    key: str
    weight: int
    score: float | None
    measured: str  # the raw figure, for the page

    @property
    def label(self) -> str:
        return str(LABELS[self.key])


@dataclass(frozen=True)
class HealthScore:
    score: float | None
    grade: str
    components: list[Component]


def combine(components: list[Component]) -> HealthScore:
    """The weighted mean of the components that have a score (weights rescaled to 100)."""
    scored = [c for c in components if c.score is not None]
    if not scored:
        return HealthScore(score=None, grade="", components=components)
    total = sum(c.weight * c.score for c in scored) / sum(c.weight for c in scored)  # type: ignore[operator]
    total = round(total, 2)
    return HealthScore(score=total, grade=grade_for(total), components=components)


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.2f} %"


def health_score(*, now: datetime) -> HealthScore:
    """The health score at `now`, from the health-check history, request timings, signups and revenue."""
    month, week = timedelta(days=30), timedelta(days=7)
    uptime = selectors.uptime_ratio(since=now - month, until=now)
    requests = selectors.request_totals(since=now - week, until=now)
    error_rate = requests.error_rate if requests.count else None
    signups = selectors.signup_count(since=now - month, until=now)
    signups_before = selectors.signup_count(since=now - 2 * month, until=now - month)
    revenue = revenue_cents_between(since=now - month, until=now)
    revenue_before = revenue_cents_between(since=now - 2 * month, until=now - month)
    return combine(
        [
            Component("uptime", WEIGHTS["uptime"], uptime_score(uptime), _percent(uptime)),
            Component(
                "performance",
                WEIGHTS["performance"],
                performance_score(requests.p95_ms),
                "—" if requests.p95_ms is None else f"p95 ≤ {requests.p95_ms:g} ms",
            ),
            Component("error_rate", WEIGHTS["error_rate"], error_rate_score(error_rate), _percent(error_rate)),
            Component(
                "user_growth",
                WEIGHTS["user_growth"],
                growth_score(signups, signups_before),
                f"{signups_before} → {signups}",
            ),
            Component(
                "revenue_growth",
                WEIGHTS["revenue_growth"],
                growth_score(revenue, revenue_before),
                f"{revenue_before / 100:.2f} → {revenue / 100:.2f}",
            ),
        ]
    )
