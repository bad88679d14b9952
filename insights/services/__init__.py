"""Writes of the insights app (webhooks, daily snapshots); events are recorded by insights.events.record_event."""

from insights.services.snapshots import daily_snapshot_build, daily_snapshots_backfill
from insights.services.spend import acquisition_spend_delete, acquisition_spend_save
from insights.services.webhooks import (
    webhook_deliveries_create_for_event,
    webhook_deliveries_drain,
    webhook_deliveries_enqueue,
    webhook_deliveries_requeue_due,
    webhook_delivery_attempt,
    webhook_delivery_redeliver,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_rotate_secret,
    webhook_endpoint_send_test,
    webhook_endpoint_update,
)

__all__ = [
    "acquisition_spend_delete",
    "acquisition_spend_save",
    "daily_snapshot_build",
    "daily_snapshots_backfill",
    "webhook_deliveries_create_for_event",
    "webhook_deliveries_drain",
    "webhook_deliveries_enqueue",
    "webhook_deliveries_requeue_due",
    "webhook_delivery_attempt",
    "webhook_delivery_redeliver",
    "webhook_endpoint_create",
    "webhook_endpoint_delete",
    "webhook_endpoint_rotate_secret",
    "webhook_endpoint_send_test",
    "webhook_endpoint_update",
]
