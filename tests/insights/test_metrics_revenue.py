"""MRR, its movements and the revenue ratios, against a history computed by hand.

The cast (every amount in cents, Pro at 1,200 a month, Business at 3,000):
- Alice pays Pro monthly from 10 January, upgrades to Business on 20 March, goes back to Pro at her
  renewal on 20 April and stops paying after 20 May;
- Bob buys Pro annually on 15 February with a 20 % coupon: 9,600 for the year, 800 a month;
- Carol pays for 5 January - 5 February, stops, and pays again from 3 April to 3 May;
- Dan only ever has a free month of Pro from a referral credit (never charged);
- Erin pays from 1 January, her February is covered by a credit, she pays March and then leaves.

Month ends: January 3,600 (Alice, Carol, Erin) · February 3,200 · March 3,800 · April 3,200 · May 800.
"""

import pytest

from billing.models import Plan
from insights.metrics import revenue
from insights.models import AcquisitionSpend
from tests.insights.metrics_fixtures import at, invoice, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def history():
    business = Plan.objects.create(code="business", name="Business", rank=50, monthly_price_cents=3000)
    alice, bob, carol, dan, erin = (person(at(1, 1)) for _ in range(5))
    invoice(alice, at(1, 10), at(2, 10))
    invoice(alice, at(2, 10), at(3, 10))
    invoice(alice, at(3, 10), at(4, 10))
    invoice(alice, at(3, 20), at(4, 20), price=3000, plan=business)  # the upgrade replaces the Pro invoice
    invoice(alice, at(4, 20), at(5, 20))  # back to Pro at renewal
    invoice(bob, at(2, 15), at(2, 15, 2027), price=12000, discount=2400)
    invoice(carol, at(1, 5), at(2, 5))
    invoice(carol, at(4, 3), at(5, 3))
    invoice(dan, at(3, 1), at(4, 1), credit=1200)
    invoice(erin, at(1, 1), at(2, 1))
    invoice(erin, at(2, 1), at(3, 1), credit=1200)
    invoice(erin, at(3, 1), at(4, 1))
    return {"alice": alice, "bob": bob, "carol": carol, "dan": dan, "erin": erin}


MONTH_ENDS = {1: at(2, 1), 2: at(3, 1), 3: at(4, 1), 4: at(5, 1), 5: at(6, 1)}


@pytest.mark.parametrize(("month", "expected"), [(1, 3600), (2, 3200), (3, 3800), (4, 3200), (5, 800)])
def test_mrr_at_each_month_end(history, month, expected):
    assert revenue.mrr(at=MONTH_ENDS[month]) == expected


def test_an_invoice_ending_at_the_instant_no_longer_counts_and_one_starting_there_does(history):
    # Erin's January invoice ends at 1 February 00:00, her credited February starts there.
    just_before = revenue.mrr_movements(start=at(1, 31, hour=23), end=at(1, 31, hour=23)).end_mrr
    assert just_before == revenue.mrr(at=at(2, 1)) == 3600


def test_the_annual_plan_counts_a_twelfth_of_its_price_net_of_the_coupon(history):
    moves = revenue.mrr_movements(start=at(2, 14), end=at(2, 16))
    assert moves.new == 800
    assert moves.new_customers == 1


def test_february_a_new_annual_customer_and_a_churned_one(history):
    moves = revenue.mrr_movements(start=MONTH_ENDS[1], end=MONTH_ENDS[2])
    assert (moves.start_mrr, moves.end_mrr) == (3600, 3200)
    assert (moves.new, moves.churned, moves.expansion, moves.contraction, moves.reactivation) == (800, 1200, 0, 0, 0)
    assert (moves.start_customers, moves.end_customers) == (3, 3)


def test_march_the_upgrade_is_expansion_and_a_free_month_is_nobody(history):
    moves = revenue.mrr_movements(start=MONTH_ENDS[2], end=MONTH_ENDS[3])
    assert moves.expansion == 1800  # Alice, 1,200 → 3,000
    assert moves.churned == 1200  # Erin
    assert moves.new == 0 and moves.new_customers == 0  # Dan's credit-only month is not revenue
    assert moves.end_customers == 2


def test_april_the_downgrade_is_contraction_and_carol_reactivates(history):
    moves = revenue.mrr_movements(start=MONTH_ENDS[3], end=MONTH_ENDS[4])
    assert moves.contraction == 1800
    assert moves.reactivation == 1200 and moves.reactivated_customers == 1
    assert moves.new == 0


def test_may_alice_and_carol_churn(history):
    moves = revenue.mrr_movements(start=MONTH_ENDS[4], end=MONTH_ENDS[5])
    assert (moves.churned, moves.churned_customers, moves.start_customers) == (2400, 2, 3)
    assert revenue.customer_churn_rate(churned_customers=2, start_customers=3) == pytest.approx(2 / 3)


def test_movements_always_reconcile_start_and_end(history):
    for month in range(2, 6):
        m = revenue.mrr_movements(start=MONTH_ENDS[month - 1], end=MONTH_ENDS[month])
        assert m.start_mrr + m.new + m.expansion + m.reactivation - m.contraction - m.churned == m.end_mrr


def test_a_credit_covered_month_of_a_paying_customer_keeps_their_mrr(history):
    # Erin's February was paid by a credit: she stays a 1,200 customer, no churn and no reactivation.
    moves = revenue.mrr_movements(start=at(1, 20), end=at(2, 20))
    assert moves.churned == 1200  # that is Carol, whose invoice ended on 5 February
    assert moves.churned_customers == 1


def test_the_ratios():
    assert revenue.arr(mrr_cents=3200) == 38400
    assert revenue.arpu(mrr_cents=3200, customers=3) == 1067
    assert revenue.arpu(mrr_cents=0, customers=0) is None
    assert revenue.revenue_churn_rate(churned_cents=0, contraction_cents=1800, start_mrr_cents=3800) == pytest.approx(
        1800 / 3800
    )
    # 10 % monthly churn: an average customer stays 10 months.
    assert revenue.ltv(arpu_cents=1000, monthly_churn=0.1) == 10000
    assert revenue.ltv(arpu_cents=1000, monthly_churn=0.0) is None
    assert revenue.cac(spend_cents=48000, new_customers=4) == 12000
    assert revenue.ltv_to_cac(ltv_cents=36000, cac_cents=12000) == 3.0
    assert revenue.payback_months(cac_cents=12000, arpu_cents=1000) == 12.0
    # A 7-day churn of 2 % is about 8.3 % a month, not 2 % x 30/7.
    assert revenue.monthly_rate(rate=0.02, days=7) == pytest.approx(1 - 0.98 ** (30 / 7))


def test_cac_reads_the_spend_staff_entered_for_the_months_of_the_period(history):
    AcquisitionSpend.objects.create(channel="paid_social", month=at(2, 1).date(), amount_cents=40000)
    AcquisitionSpend.objects.create(channel="content", month=at(2, 1).date(), amount_cents=8000)
    AcquisitionSpend.objects.create(channel="content", month=at(3, 1).date(), amount_cents=99999)
    spend = revenue.acquisition_spend(start=at(2, 1).date(), end=at(2, 28).date())
    assert spend == 48000
    new = revenue.mrr_movements(start=MONTH_ENDS[1], end=MONTH_ENDS[2]).new_customers
    assert revenue.cac(spend_cents=spend, new_customers=new) == 48000
