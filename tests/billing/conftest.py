import pytest

from billing.models import Plan
from tests.billing import stripe_server
from tests.billing.stripe_events import WEBHOOK_SECRET


@pytest.fixture
def free_plan(db) -> Plan:
    return Plan.objects.get(code="free")


@pytest.fixture
def pro_plan(db) -> Plan:
    return Plan.objects.get(code="pro")


@pytest.fixture
def fake_stripe():
    server = stripe_server.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def stripe_settings(settings, fake_stripe, pro_plan):
    """Billing configured for Stripe, with the Stripe client pointed at the local fake server."""
    settings.BILLING_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_local"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake_stripe.url
    pro_plan.stripe_price_monthly = "price_pro_month"
    pro_plan.stripe_price_annual = "price_pro_year"
    pro_plan.save(update_fields=["stripe_price_monthly", "stripe_price_annual"])
    return settings
