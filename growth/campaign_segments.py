"""Who a campaign goes to, as conditions on the people table: each is a `Q` (or a queryset) that
the database evaluates for everyone at once, never a loop over people in Python.

"Active", "at risk" and "churned" have one definition, in `insights.activity`.
"""

import zoneinfo
from datetime import datetime, timedelta
from functools import lru_cache

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from billing.selectors import subscriptions_on_paid_plan_in_force
from insights.activity import active_since, at_risk
from videos.models import Video


def first_video_between(start: datetime, end: datetime) -> Q:
    """People whose first video was made after `start` and at or before `end`."""
    made_then = Video.objects.filter(created_at__gt=start, created_at__lte=end).values("owner_id")
    made_before = Video.objects.filter(owner=OuterRef("pk"), created_at__lte=start)
    return Q(pk__in=made_then) & ~Exists(made_before)


def video_count_at_least(count: int) -> Q:
    """People who own at least `count` videos (one grouped pass over the videos, not a count per person)."""
    owners = Video.objects.order_by().values("owner_id").annotate(n=Count("pk")).filter(n__gte=count)
    return Q(pk__in=owners.values("owner_id"))


def on_paid_plan(now: datetime) -> Q:
    """People whose plan in force is a paid one (billing decides: no plan name is compared)."""
    return Exists(subscriptions_on_paid_plan_in_force(now=now).filter(user=OuterRef("pk")))


def has_video() -> Q:
    return Exists(Video.objects.filter(owner=OuterRef("pk")))


def video_count() -> Coalesce:
    """An annotation: how many videos the person owns."""
    counted = Video.objects.filter(owner=OuterRef("pk")).order_by().values("owner").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def segment_condition(segment: str, now: datetime) -> Q:
    """The customer-success segment `segment` (growth.campaign_models.Segment) as a condition."""
    if segment == "new":
        return Q(date_joined__gt=now - timedelta(days=7))
    if segment == "active_free":
        joined = Q(date_joined__lte=now - timedelta(days=7), date_joined__gt=now - timedelta(days=30))
        return joined & ~on_paid_plan(now) & active_since(now - timedelta(days=7))
    if segment == "pro":
        return on_paid_plan(now)
    if segment == "at_risk":
        return at_risk(now)
    return Q()


@lru_cache(maxsize=1)
def _known_time_zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def time_zones_in_sending_window(now: datetime) -> list[str]:
    """The time zones whose local clock is inside the sending window (CAMPAIGN_SEND_WINDOW_HOURS) at
    `now`: a few hundred names checked here, so the people query only asks `time_zone IN (...)`."""
    start, end = settings.CAMPAIGN_SEND_WINDOW_HOURS
    return [name for name in _known_time_zones() if start <= now.astimezone(zoneinfo.ZoneInfo(name)).hour < end]


def in_sending_window(now: datetime) -> Q:
    return Q(time_zone__in=time_zones_in_sending_window(now))
