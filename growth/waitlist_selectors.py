"""Waitlist reads: the queue of a preview feature, and one person's place in it.

The rule people are shown: each friend who signs up with your referral link and confirms their
e-mail address moves you REFERRAL_BOOST_DAYS ahead in the queue. An entry's `queue_at` is its join
time minus that boost (kept by `growth.services.waitlist.waitlist_requeue`), so a place is one
indexed count, and the order shown is exactly the order staff invite in.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet

from growth.referral_models import Referral
from growth.waitlist_models import PreviewFeature, WaitlistEntry
from teams.models import User

REFERRAL_BOOST_DAYS = 7


@dataclass(frozen=True)
class QueuePlace:
    entry: WaitlistEntry
    referrals: int
    position: int


def successful_referral_count(*, user: User) -> int:
    """How many people `user` referred who confirmed their e-mail address (refused referrals left out)."""
    return (
        Referral.objects.filter(referrer=user, referee__emailaddress__verified=True)
        .exclude(status=Referral.Status.REFUSED)
        .values("referee")
        .distinct()
        .count()
    )


def referral_boost(*, user: User) -> timedelta:
    """How far ahead of their join time the person stands in every queue."""
    return timedelta(days=REFERRAL_BOOST_DAYS * successful_referral_count(user=user))


def waitlist_queue(*, feature: PreviewFeature) -> QuerySet[WaitlistEntry]:
    """Everyone still waiting for `feature`, first in line first."""
    return (
        WaitlistEntry.objects.filter(feature=feature, invited_at__isnull=True)
        .select_related("user")
        .order_by("queue_at", "pk")
    )


def waitlist_place_for_user(*, feature: PreviewFeature, user: User) -> QueuePlace | None:
    """The person's place in the queue, or None when they are not waiting (two queries)."""
    entry = WaitlistEntry.objects.filter(feature=feature, user=user, invited_at__isnull=True).first()
    if entry is None:
        return None
    ahead = (
        WaitlistEntry.objects.filter(feature=feature, invited_at__isnull=True)
        .filter(Q(queue_at__lt=entry.queue_at) | Q(queue_at=entry.queue_at, pk__lt=entry.pk))
        .count()
    )
    referrals = round((entry.joined_at - entry.queue_at) / timedelta(days=REFERRAL_BOOST_DAYS))
    return QueuePlace(entry=entry, referrals=referrals, position=ahead + 1)


def preview_features_for_user(*, user: User) -> list[dict]:
    """The open preview features with the person's standing in each: waiting (and where), invited, or not joined."""
    from growth.flags import feature_enabled

    features = list(PreviewFeature.objects.filter(is_open=True))
    entries = {e.feature_id: e for e in WaitlistEntry.objects.filter(user=user, feature__in=features)}
    rows = []
    for feature in features:
        entry = entries.get(feature.pk)
        place = waitlist_place_for_user(feature=feature, user=user) if entry and not entry.invited_at else None
        rows.append({"feature": feature, "entry": entry, "place": place, "enabled": feature_enabled(user, feature.key)})
    return rows
