"""Revenue: MRR and its movements, ARR, ARPU, customer and revenue churn, LTV, CAC, LTV:CAC, payback.

Amounts are cents of the plans' currency (one currency is assumed). Every figure comes from paid
invoices (`billing.Payment`) in one grouped query per question; nothing loops over customers.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta

from django.db.models import Case, Exists, F, FloatField, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast

from billing.models import Payment
from insights.metrics.periods import add_months, month_start, rows
from insights.models import AcquisitionSpend

# An invoice whose period is longer than this is an annual one: its value is spread over 12 months.
ANNUAL_PERIOD = timedelta(days=40)


def _paid_invoices() -> QuerySet[Payment]:
    return Payment.objects.filter(
        status=Payment.Status.PAID, period_start__isnull=False, period_end__isnull=False, subtotal_cents__gt=0
    )


def invoice_monthly_value() -> Case:
    """An invoice's monthly value: its price net of coupon discounts, an annual invoice divided by 12.

    Credits are a balance the customer earned, not a price cut, so a paying customer's month covered
    by a credit still counts at its price; free months granted to an account that has never been
    charged (a referral reward before any payment) count nothing.
    """
    net = Cast(F("subtotal_cents") - F("discount_cents"), FloatField())
    charged_before = Payment.objects.filter(
        user=OuterRef("user"),
        status=Payment.Status.PAID,
        amount_cents__gt=0,
        period_start__lte=OuterRef("period_start"),
    )
    return Case(
        When(~Exists(charged_before), amount_cents=0, then=Value(0.0)),
        When(period_end__gt=F("period_start") + ANNUAL_PERIOD, then=net / Value(12.0)),
        default=net,
        output_field=FloatField(),
    )


def _counts_at(at: datetime) -> Q:
    """The invoice covers `at` and no later paid invoice of the customer started by then (an upgrade
    or downgrade replaces the running invoice from its own start)."""
    superseded = _paid_invoices().filter(
        user=OuterRef("user"), period_start__gt=OuterRef("period_start"), period_start__lte=at
    )
    return Q(period_start__lte=at, period_end__gt=at) & ~Exists(superseded)


def _per_customer(start: datetime, end: datetime) -> tuple[str, tuple]:
    """SQL of one row per customer with an invoice running between `start` and `end`: their MRR at
    `start` (before) and at `end` (after), and whether they were charged for an invoice that ended by
    `start` (earlier; tells a reactivation from a new customer)."""
    charged_earlier = Payment.objects.filter(
        user=OuterRef("user_id"), status=Payment.Status.PAID, amount_cents__gt=0, period_end__lte=start
    )
    queryset = (
        _paid_invoices()
        .filter(period_start__lte=end, period_end__gt=start)
        .annotate(value=invoice_monthly_value())
        .values("user_id")
        .annotate(
            before=Sum("value", filter=_counts_at(start), default=0.0),
            after=Sum("value", filter=_counts_at(end), default=0.0),
            earlier=Exists(charged_earlier),
        )
        .order_by()
    )
    sql, params = queryset.query.sql_with_params()
    return sql, params


@dataclass(frozen=True)
class Movements:
    """MRR at two instants and what moved it, in cents, with the number of customers in each bucket."""

    start_mrr: int
    end_mrr: int
    start_customers: int
    end_customers: int
    new: int
    expansion: int
    contraction: int
    churned: int
    reactivation: int
    new_customers: int
    expanded_customers: int
    contracted_customers: int
    churned_customers: int
    reactivated_customers: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


_MOVEMENT_SQL = """
SELECT
  COALESCE(SUM(before), 0), COALESCE(SUM(after), 0),
  SUM(CASE WHEN before > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN after > 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN before = 0 AND after > 0 AND NOT earlier THEN after ELSE 0 END),
  SUM(CASE WHEN before > 0 AND after > before THEN after - before ELSE 0 END),
  SUM(CASE WHEN before > 0 AND after > 0 AND after < before THEN before - after ELSE 0 END),
  SUM(CASE WHEN before > 0 AND after = 0 THEN before ELSE 0 END),
  SUM(CASE WHEN before = 0 AND after > 0 AND earlier THEN after ELSE 0 END),
  SUM(CASE WHEN before = 0 AND after > 0 AND NOT earlier THEN 1 ELSE 0 END),
  SUM(CASE WHEN before > 0 AND after > before THEN 1 ELSE 0 END),
  SUM(CASE WHEN before > 0 AND after > 0 AND after < before THEN 1 ELSE 0 END),
  SUM(CASE WHEN before > 0 AND after = 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN before = 0 AND after > 0 AND earlier THEN 1 ELSE 0 END)
FROM ({inner}) per_customer
"""


def mrr_movements(*, start: datetime, end: datetime) -> Movements:
    """MRR movements between two instants, per customer, by comparing the customer's MRR at each:
    new (had none at `start` and never before), expansion (more than at `start`), contraction
    (less, but not zero), churned (had MRR at `start`, none at `end`), reactivation (none at `start`
    but had MRR at some earlier time). end MRR = start MRR + new + expansion + reactivation -
    contraction - churned."""
    inner, params = _per_customer(start, end)
    (row,) = rows(_MOVEMENT_SQL.format(inner=inner), params)
    values = [round(value or 0) for value in row]
    return Movements(*values)


def mrr(*, at: datetime) -> int:
    """Monthly recurring revenue at an instant, in cents: the sum over customers of the monthly value
    of the paid invoice covering that instant (the latest one when an upgrade or downgrade replaced
    an earlier one) — price net of coupons, annual plans divided by 12, trials and unpaid renewals
    counting nothing."""
    return mrr_movements(start=at, end=at).end_mrr


def arr(*, mrr_cents: int) -> int:
    """Annual recurring revenue: MRR x 12."""
    return mrr_cents * 12


def arpu(*, mrr_cents: int, customers: int) -> int | None:
    """Average revenue per paying customer per month: MRR ÷ customers with MRR (None without customers)."""
    return round(mrr_cents / customers) if customers else None


def customer_churn_rate(*, churned_customers: int, start_customers: int) -> float | None:
    """Customer churn over a period: customers who had MRR at its start and none at its end ÷ customers
    at its start (None without customers at the start)."""
    return churned_customers / start_customers if start_customers else None


def revenue_churn_rate(*, churned_cents: int, contraction_cents: int, start_mrr_cents: int) -> float | None:
    """Gross revenue churn over a period: (churned MRR + contraction MRR) ÷ MRR at its start."""
    return (churned_cents + contraction_cents) / start_mrr_cents if start_mrr_cents else None


def monthly_rate(*, rate: float | None, days: int) -> float | None:
    """A churn rate measured over `days` expressed per 30-day month, assuming a constant rate."""
    if rate is None or days <= 0:
        return None
    if rate >= 1:
        return 1.0
    return 1 - (1 - rate) ** (30 / days)


def ltv(*, arpu_cents: int | None, monthly_churn: float | None) -> int | None:
    """Customer lifetime value: ARPU ÷ monthly customer churn (the expected months a customer stays
    times what they pay a month). None when nobody churned or nobody pays."""
    if not arpu_cents or not monthly_churn:
        return None
    return round(arpu_cents / monthly_churn)


def acquisition_spend(*, start: date, end: date) -> int:
    """Acquisition spend, in cents, of the months from `start`'s month to `end`'s month, as staff entered it."""
    months = AcquisitionSpend.objects.filter(month__gte=month_start(start), month__lt=add_months(end, 1))
    return months.aggregate(total=Sum("amount_cents", default=0))["total"]


def cac(*, spend_cents: int, new_customers: int) -> int | None:
    """Customer acquisition cost: acquisition spend of a period ÷ new customers won in it (reactivations
    are not acquisitions). None without new customers."""
    return round(spend_cents / new_customers) if new_customers else None


def ltv_to_cac(*, ltv_cents: int | None, cac_cents: int | None) -> float | None:
    """LTV:CAC: what a customer brings over their lifetime per unit spent to win them (3 or more is healthy)."""
    return round(ltv_cents / cac_cents, 2) if ltv_cents and cac_cents else None


def payback_months(*, cac_cents: int | None, arpu_cents: int | None) -> float | None:
    """CAC payback: months of a customer's revenue needed to earn back what winning them cost (CAC ÷ ARPU)."""
    return round(cac_cents / arpu_cents, 1) if cac_cents and arpu_cents else None
