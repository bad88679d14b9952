"""Hand-made histories for the metrics tests: invoices, events and signups at chosen instants."""

from datetime import UTC, datetime

from billing.models import Payment, Plan
from insights.models import Event
from tests.billing.factories import PaymentFactory
from tests.factories import UserFactory


def at(month: int, day: int, year: int = 2026, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def invoice(user, start: datetime, end: datetime, *, price: int = 1200, discount: int = 0, credit: int = 0, plan=None):
    """A paid invoice for the period [start, end): `price` before the coupon `discount` and the `credit`."""
    return PaymentFactory(
        user=user,
        plan=plan or Plan.objects.get(code="pro"),
        subtotal_cents=price,
        discount_cents=discount,
        credit_cents=credit,
        amount_cents=max(price - discount - credit, 0),
        status=Payment.Status.PAID,
        period_start=start,
        period_end=end,
        created_at=start,
        paid_at=start,
    )


def person(joined: datetime, **kwargs):
    return UserFactory(date_joined=joined, **kwargs)


def event(name: str, actor, when: datetime, **payload) -> Event:
    return Event.objects.create(name=name, actor=actor, occurred_at=when, payload=payload)
