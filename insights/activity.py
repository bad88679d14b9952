"""Who is active, at risk or churned: the one definition, read by the nightly customer segments
(`insights.services.segments`) and by the campaigns' conditions and audiences (`growth`).

"Active" means signed up, signed in (the `user.logged_in` event) or made a video.
"""

from datetime import datetime, timedelta

from django.db.models import Q, QuerySet

from insights.event_names import EventName
from insights.models import Event
from teams.models import User
from videos.models import Video

AT_RISK_DAYS = 14
CHURNED_DAYS = 90


def active_since(since: datetime) -> Q:
    """People who signed up, signed in or made a video at or after `since`."""
    # `IN (subquery)`, not a correlated EXISTS: under OR (and NOT) PostgreSQL runs each subquery
    # once and hashes it, where EXISTS would be asked again for every person.
    signed_in = Event.objects.filter(name=EventName.USER_LOGGED_IN, occurred_at__gte=since, actor__isnull=False).values(
        "actor_id"
    )
    made_video = Video.objects.filter(created_at__gte=since).values("owner_id")
    return Q(date_joined__gte=since) | Q(pk__in=signed_in) | Q(pk__in=made_video)


def inactive_for(days: int, *, now: datetime) -> Q:
    """People who signed up more than `days` ago and have not been active since."""
    since = now - timedelta(days=days)
    return Q(date_joined__lt=since) & ~active_since(since)


def at_risk(now: datetime) -> Q:
    """At risk: signed up more than 14 days ago, and neither signed in nor made a video in the last 14 days."""
    return inactive_for(AT_RISK_DAYS, now=now)


def churned(now: datetime) -> Q:
    """Churned: signed up more than 90 days ago, and inactive for the last 90 days."""
    return inactive_for(CHURNED_DAYS, now=now)


def users_at_risk(now: datetime) -> QuerySet[User]:
    """The people `at_risk` at `now`."""
    return User.objects.filter(at_risk(now))
