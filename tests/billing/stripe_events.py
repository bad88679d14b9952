"""Stripe's side of the conversation: signed webhook bodies and the objects they carry, as Stripe sends them."""

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Any

WEBHOOK_SECRET = "whsec_test_secret"
PERIOD_START = datetime(2026, 11, 1, tzinfo=UTC)
PERIOD_END = datetime(2026, 12, 1, tzinfo=UTC)


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


def invoice(invoice_id: str, *, amount: int, paid: bool) -> dict[str, Any]:
    """A Stripe invoice for one month of Pro on subscription sub_1, paid or still open."""
    return {
        "id": invoice_id,
        "object": "invoice",
        "customer": "cus_test_1",
        "currency": "usd",
        "subtotal": amount,
        "amount_due": amount,
        "amount_paid": amount if paid else 0,
        "parent": {"type": "subscription_details", "subscription_details": {"subscription": "sub_1"}},
        "lines": {
            "data": [
                {
                    "description": "1 x Pro (at $12.00 / month)",
                    "period": {"start": int(PERIOD_START.timestamp()), "end": int(PERIOD_END.timestamp())},
                }
            ]
        },
    }
