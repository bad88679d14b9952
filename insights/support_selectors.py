"""Support inbox reads: a person's requests, a thread, and the most frequent categories."""

from datetime import datetime

from django.db.models import Count, QuerySet

from insights.support_models import SupportMessage, SupportRequest
from teams.models import User


def support_request_list_for_user(*, user: User) -> QuerySet[SupportRequest]:
    """The person's own requests, most recently active first (index: user, -updated_at)."""
    return (
        SupportRequest.objects.filter(user=user)
        .annotate(message_count=Count("messages"))
        .order_by("-updated_at", "-id")
    )


def support_thread(*, request: SupportRequest) -> QuerySet[SupportMessage]:
    """A request's messages, oldest first, with their authors."""
    return request.messages.select_related("author").order_by("created_at", "id")


def support_categories_top(*, since: datetime, until: datetime, limit: int = 5) -> list[tuple[str, int]]:
    """The most frequent categories of requests opened in [since, until): (label, count), most first."""
    labels = dict(SupportRequest.Category.choices)
    rows = (
        SupportRequest.objects.filter(created_at__gte=since, created_at__lt=until)
        .values("category")
        .annotate(count=Count("pk"))
        .order_by("-count", "category")[:limit]
    )
    return [(str(labels.get(row["category"], row["category"])), row["count"]) for row in rows]
