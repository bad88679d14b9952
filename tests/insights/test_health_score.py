"""The health score: each component's rule on fixtures, the weighting, and the grade boundaries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from billing.models import Payment
from insights.health_score import (
    Component,
    combine,
    error_rate_score,
    grade_for,
    growth_score,
    health_score,
    performance_score,
    uptime_score,
)
from insights.models import HealthCheckResult
from insights.request_timing import BUFFER
from teams.models import User
from tests.billing.factories import PaymentFactory
from tests.factories import UserFactory

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (100, "A+"), (98, "A+"), (97.99, "A"), (95, "A"), (94.99, "B+"), (90, "B+"), (89.99, "B"), (85, "B"),
        (84.99, "C+"), (80, "C+"), (79.99, "C"), (75, "C"), (74.99, "D"), (70, "D"), (69.99, "F"), (0, "F"),
    ],
)  # fmt: skip
def test_grades_include_their_lower_bound(score, grade):
    assert grade_for(score) == grade


def test_uptime_scores_100_from_99_9_percent_and_0_at_99_percent_or_less():
    assert [uptime_score(r) for r in (1.0, 0.999, 0.9945, 0.99, 0.5, None)] == [100, 100, 50, 0, 0, None]


def test_performance_scores_100_up_to_200_ms_and_0_from_a_second():
    assert [performance_score(ms) for ms in (50, 200, 600, 1000, 5000, None)] == [100, 100, 50, 0, 0, None]


def test_error_rate_scores_100_without_errors_and_0_from_5_percent():
    assert [error_rate_score(r) for r in (0, 0.025, 0.05, 0.2, None)] == [100, 50, 0, 0, None]


def test_growth_scores_50_when_flat_100_from_plus_20_and_0_from_minus_20_percent():
    assert [growth_score(c, 100) for c in (100, 120, 150, 80, 50, 110)] == [50, 100, 100, 0, 0, 75]
    assert growth_score(5, 0) == 100  # from nothing to something
    assert growth_score(0, 0) is None  # nothing to compare


def test_the_score_weights_30_20_20_15_15_and_leaves_unmeasured_components_out():
    full = combine(
        [
            Component("uptime", 30, 100, ""),
            Component("performance", 20, 50, ""),
            Component("error_rate", 20, 100, ""),
            Component("user_growth", 15, 0, ""),
            Component("revenue_growth", 15, 100, ""),
        ]
    )
    assert (full.score, full.grade) == (75.0, "C")  # 30 + 10 + 20 + 0 + 15
    partial = combine([Component("uptime", 30, 100, ""), Component("performance", 20, None, "")])
    assert (partial.score, partial.grade) == (100, "A+")
    assert combine([Component("uptime", 30, None, "")]).score is None


@pytest.mark.django_db
def test_the_score_is_computed_from_our_own_history_timings_signups_and_revenue():
    BUFFER.clear()
    # Uptime: 1000 runs, one with a failed check: 99.9 % -> 100.
    rows = [HealthCheckResult(name="database", ok=True, checked_at=NOW - timedelta(minutes=m + 1)) for m in range(999)]
    rows.append(HealthCheckResult(name="database", ok=False, checked_at=NOW - timedelta(minutes=1000)))
    HealthCheckResult.objects.bulk_create(rows)
    # Performance: p95 in the 250 ms bucket -> 93.75; error rate 1 of 100 -> 80.
    for i in range(100):
        BUFFER.add("page/", "GET", 500 if i == 0 else 200, 0.2, at=(NOW - timedelta(hours=1)).timestamp())
    BUFFER.flush()
    # Users: 12 signups in the last 30 days against 10 before: +20 % -> 100.
    User.objects.bulk_create(User(email=f"new{i}@example.com", date_joined=NOW - timedelta(days=3)) for i in range(12))
    User.objects.bulk_create(User(email=f"old{i}@example.com", date_joined=NOW - timedelta(days=40)) for i in range(10))
    # Revenue: 90 against 100 paid: -10 % -> 25 (an open and a failed payment do not count).
    payer = UserFactory()
    PaymentFactory(user=payer, amount_cents=10_000, status=Payment.Status.PAID, paid_at=NOW - timedelta(days=45))
    PaymentFactory(user=payer, amount_cents=9_000, status=Payment.Status.PAID, paid_at=NOW - timedelta(days=5))
    PaymentFactory(user=payer, amount_cents=50_000, status=Payment.Status.FAILED)
    PaymentFactory(user=payer, amount_cents=50_000, status=Payment.Status.OPEN)

    result = health_score(now=NOW)
    scores = {c.key: c.score for c in result.components}
    assert scores == {"uptime": 100, "performance": 93.75, "error_rate": 80, "user_growth": 100, "revenue_growth": 25}
    expected = (30 * 100 + 20 * 93.75 + 20 * 80 + 15 * 100 + 15 * 25) / 100
    assert result.score == round(expected, 2) == 83.5
    assert result.grade == "C+"


@pytest.mark.django_db
def test_the_monitoring_page_shows_the_score_and_the_slowest_routes(staff_client):
    BUFFER.clear()
    for _ in range(30):
        BUFFER.add("videos/<int:pk>/render/", "POST", 200, 0.9)
    BUFFER.flush()
    page = staff_client.get(reverse("admin:insights_routetiming_changelist")).content.decode()
    assert 'id="health-score"' in page
    assert 'data-route="videos/&lt;int:pk&gt;/render/"' in page
    assert "Health score" in page
