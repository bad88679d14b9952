import hashlib
import hmac
import json
import time
from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from billing.models import Plan
from teams.models import Membership, Team
from tests.billing import stripe_server
from tests.factories import UserFactory

WEBHOOK_SECRET = "whsec_test_secret"


@pytest.fixture
def free_plan(db) -> Plan:
    return Plan.objects.get(code="free")


@pytest.fixture
def pro_plan(db) -> Plan:
    return Plan.objects.get(code="pro")


@pytest.fixture
def teammate(db):
    """A member of the creator's team who is not an owner."""
    return UserFactory(email="teammate@example.com", display_name="Tess Teammate")


@pytest.fixture
def team(creator, teammate) -> Team:
    """A team the creator owns and the teammate edits in."""
    team = Team.objects.create(name="Studio", slug="studio", created_by=creator)
    Membership.objects.create(team=team, user=creator, role=Membership.Role.OWNER)
    Membership.objects.create(team=team, user=teammate, role=Membership.Role.EDITOR)
    return team


@pytest.fixture
def outsider_client(outsider) -> Client:
    client = Client()
    client.force_login(outsider)
    return client


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


def stripe_signature(body: str, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    """The Stripe-Signature header exactly as Stripe computes it."""
    timestamp = timestamp or int(time.time())
    digest = hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def stripe_event(event_id: str, event_type: str, obj: dict[str, Any]) -> str:
    return json.dumps(
        {"id": event_id, "object": "event", "type": event_type, "api_version": "2025-09-30", "data": {"object": obj}}
    )


def remote_subscription(
    subscription_id: str,
    *,
    user_id: int,
    status: str = "active",
    price: str = "price_pro_month",
    interval: str = "month",
    start: datetime,
    end: datetime,
    cancel_at_period_end: bool = False,
) -> dict[str, Any]:
    """A Stripe subscription object (API 2025+: the period lives on the item)."""
    return {
        "id": subscription_id,
        "object": "subscription",
        "customer": "cus_test_1",
        "status": status,
        "cancel_at_period_end": cancel_at_period_end,
        "metadata": {"user_id": str(user_id)},
        "items": {
            "object": "list",
            "data": [
                {
                    "id": "si_1",
                    "object": "subscription_item",
                    "price": {"id": price, "object": "price", "recurring": {"interval": interval}},
                    "current_period_start": int(start.timestamp()),
                    "current_period_end": int(end.timestamp()),
                }
            ],
        },
    }
