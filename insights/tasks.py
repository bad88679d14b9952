"""Thin task wrappers: load by id, call a service."""

from celery import shared_task

from insights import services


# Its own queue (CELERY_TASK_ROUTES), so webhook traffic never waits behind renders or e-mail.
# Each request has a 15 s deadline and a drain stops taking new deliveries after 20 s; the time
# limits are a backstop for prefork workers (a threads pool cannot enforce them).
@shared_task(name="insights.webhook_deliver", time_limit=60, soft_time_limit=45)
def webhook_deliver(delivery_id: int) -> int:
    return services.webhook_deliveries_drain(delivery_id=delivery_id)


@shared_task(name="insights.webhook_deliveries_requeue_due")
def webhook_deliveries_requeue_due() -> int:
    # The outbox's periodic sweep: due retries, and deliveries lost on the way to the broker.
    return services.webhook_deliveries_requeue_due()


@shared_task(name="insights.page_views_flush")
def page_views_flush() -> int:
    from insights.page_views import page_views_flush as flush

    return flush()


@shared_task(name="insights.video_stats_fetch")
def video_stats_fetch() -> int:
    # Daily: every published post's lifetime counters become today's row (re-running replaces it).
    from datetime import timedelta

    from insights.engagement_models import engagement_today
    from insights.services.engagement import player_viewers_prune, video_stats_fetch_day

    # The player's per-visitor ledger is only needed for today's deduplication (a day's margin kept).
    player_viewers_prune(before=engagement_today() - timedelta(days=1))
    return video_stats_fetch_day().stored


@shared_task(name="insights.customer_profiles_recompute")
def customer_profiles_recompute() -> int:
    # Nightly: segments and tiers of everyone, in one statement.
    from insights.services.segments import customer_profiles_recompute as recompute

    return recompute()
