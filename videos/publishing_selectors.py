"""Reads of scheduled publishing for pages and the API (lists, the calendar)."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from teams.models import Membership, User
from videos.publishing_models import Publication

UPCOMING = "upcoming"
PAST = "past"


def publications_for_user(
    *,
    user: User,
    when: str = "",
    platform: str = "",
    status: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
) -> QuerySet[Publication]:
    """Publications the user may see (their own personal ones, and their teams'), filtered; upcoming
    ones soonest first, everything else newest first. Targets are prefetched, so a page costs the same
    number of queries for any number of rows."""
    team_ids = Membership.objects.filter(user=user).values("team_id")
    qs = Publication.objects.filter(Q(owner=user, team__isnull=True) | Q(team_id__in=team_ids))
    if platform:
        qs = qs.filter(targets__platform=platform)
    if status:
        qs = qs.filter(status=status)
    if start is not None:
        qs = qs.filter(scheduled_at__gte=start)
    if end is not None:
        qs = qs.filter(scheduled_at__lt=end)
    if when == UPCOMING:
        qs = qs.filter(status__in=[Publication.Status.SCHEDULED, Publication.Status.PUBLISHING]).order_by(
            "scheduled_at", "pk"
        )
    elif when == PAST:
        qs = qs.exclude(status__in=[Publication.Status.SCHEDULED, Publication.Status.PUBLISHING]).order_by(
            "-scheduled_at", "-pk"
        )
    else:
        qs = qs.order_by("-scheduled_at", "-pk")
    if platform:
        qs = qs.distinct()
    return qs.select_related("video", "owner", "team").prefetch_related("targets")


def publication_local_time(publication: Publication, zone_name: str | None = None) -> datetime:
    """The publish time in the viewer's zone (the active one), or in `zone_name`."""
    import zoneinfo

    zone = zoneinfo.ZoneInfo(zone_name) if zone_name else timezone.get_current_timezone()
    return publication.scheduled_at.astimezone(zone)
