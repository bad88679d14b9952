"""Reads for the dashboards; every figure comes from the database."""

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from insights.models import Event, WebhookDelivery, WebhookEndpoint
from teams.models import Team, User


def event_counts_by_day_for_user(*, user: object, days: int = 7) -> list[tuple[date, int]]:
    """The user's events per day over the last `days` days in their time zone, oldest first."""
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    first_day = today - timedelta(days=days - 1)
    rows = (
        Event.objects.filter(actor=user, occurred_at__date__gte=first_day)
        .annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("day")
        .annotate(count=Count("id"))
        .order_by()
    )
    counts = {row["day"]: row["count"] for row in rows}
    return [(first_day + timedelta(days=i), counts.get(first_day + timedelta(days=i), 0)) for i in range(days)]


def event_list_recent_for_user(*, user: object, limit: int = 10) -> QuerySet[Event]:
    """The user's latest events, newest first."""
    return Event.objects.filter(actor=user).order_by("-occurred_at", "-id")[:limit]


def webhook_endpoint_list_for_account(*, user: User, team: Team | None) -> QuerySet[WebhookEndpoint]:
    """The endpoints of the user's own workspace, or of `team` (resolved by insights.permissions)."""
    endpoints = (
        WebhookEndpoint.objects.filter(team=team)
        if team
        else WebhookEndpoint.objects.filter(owner=user, team__isnull=True)
    )
    return endpoints.select_related("team").order_by("-created_at", "-id")


def webhook_endpoint_list_with_stats(*, user: User, team: Team | None) -> QuerySet[WebhookEndpoint]:
    """The account's endpoints with their last 30 days' counts and last trigger, in one query."""
    since = timezone.now() - timedelta(days=30)
    recent = Q(deliveries__created_at__gte=since)
    return webhook_endpoint_list_for_account(user=user, team=team).annotate(
        succeeded_count=Count("deliveries", filter=recent & Q(deliveries__status=WebhookDelivery.Status.SUCCEEDED)),
        failed_count=Count("deliveries", filter=recent & Q(deliveries__status=WebhookDelivery.Status.FAILED)),
        last_triggered_at=Max("deliveries__created_at"),
    )


def webhook_delivery_list_for_endpoint(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """The endpoint's deliveries, newest first."""
    return WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-id")


def webhook_endpoint_stats(*, endpoint: WebhookEndpoint, since: datetime | None = None) -> dict[str, Any]:
    """Success rate over finished deliveries (last 30 days) and when the endpoint was last triggered."""
    since = since or timezone.now() - timedelta(days=30)
    rows = WebhookDelivery.objects.filter(endpoint=endpoint, created_at__gte=since).aggregate(
        succeeded=Count("pk", filter=Q(status=WebhookDelivery.Status.SUCCEEDED)),
        failed=Count("pk", filter=Q(status=WebhookDelivery.Status.FAILED)),
    )
    last = WebhookDelivery.objects.filter(endpoint=endpoint).aggregate(last=Max("created_at"))["last"]
    return {
        "success_rate": success_rate(rows["succeeded"], rows["failed"]),
        "last_triggered_at": last,
        "succeeded": rows["succeeded"],
        "failed": rows["failed"],
    }


def success_rate(succeeded: int, failed: int) -> float | None:
    """Percent of finished deliveries that succeeded, or None before any finished."""
    finished = succeeded + failed
    return round(100 * succeeded / finished, 1) if finished else None


def users_in_segment(segment: str) -> QuerySet[User]:
    """People whose last nightly recompute put them in `segment` (a `Segment` value), for campaigns."""
    return User.objects.filter(customer_profile__segment=segment)


def users_in_tier(tier: str) -> QuerySet[User]:
    """People whose last nightly recompute gave them loyalty `tier` (a `Tier` value), for campaigns."""
    return User.objects.filter(customer_profile__tier=tier)
