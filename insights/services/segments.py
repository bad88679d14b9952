"""Customer segments and loyalty tiers, recomputed for everyone in one set-based statement.

Definitions (each written once, here):

- lifetime value: the sum of the person's paid payments (billing's selector), in cents.
- active: a sign-in event or a new video; the last activity is the latest of those, else signup.
- churned: signed up more than 90 days ago and not active in the last 90 days.
- at risk (low engagement): signed up more than 14 days ago and neither a sign-in event nor a
  video created in the last 14 days (and not churned).
- whale: lifetime value of 1,000 or more; regular: 200 up to 1,000 (when neither churned nor at
  risk: a drifting big spender is first of all someone to win back).
- other: everyone else.
- tiers by lifetime value: bronze below 100, silver from 100, gold from 500, platinum from 2,000.
"""

from datetime import datetime

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from billing.selectors import lifetime_value_cents_for_users
from insights.activity import at_risk, churned
from insights.event_names import EventName
from insights.models import Event
from insights.segment_models import CustomerProfile, Segment, Tier
from teams.models import User
from videos.models import Video

WHALE_CENTS = 1_000_00
REGULAR_CENTS = 200_00
TIER_SILVER_CENTS = 100_00
TIER_GOLD_CENTS = 500_00
TIER_PLATINUM_CENTS = 2_000_00


def _computed_profiles(now: datetime) -> QuerySet:
    last_login = Subquery(
        Event.objects.filter(actor=OuterRef("pk"), name=EventName.USER_LOGGED_IN)
        .order_by("-occurred_at")
        .values("occurred_at")[:1],
        output_field=DateTimeField(),
    )
    last_video = Subquery(
        Video.objects.filter(owner=OuterRef("pk")).order_by("-created_at").values("created_at")[:1],
        output_field=DateTimeField(),
    )
    # The annotations are the INSERT's columns, in this order (only annotations are selected).
    return (
        User.objects.filter(pk__gt=0)
        .annotate(
            profile_user_id=F("pk"),
            ltv=lifetime_value_cents_for_users(),
            last_active=Greatest(
                Coalesce(last_login, F("date_joined")),
                Coalesce(last_video, F("date_joined")),
                output_field=DateTimeField(),
            ),
        )
        .annotate(
            profile_segment=Case(
                # The one definition of churned and at risk (insights.activity), first match wins.
                When(churned(now), then=Value(Segment.CHURNED)),
                When(at_risk(now), then=Value(Segment.AT_RISK)),
                When(ltv__gte=WHALE_CENTS, then=Value(Segment.WHALE)),
                When(ltv__gte=REGULAR_CENTS, then=Value(Segment.REGULAR)),
                default=Value(Segment.OTHER),
                output_field=CharField(),
            ),
            profile_tier=Case(
                When(ltv__gte=TIER_PLATINUM_CENTS, then=Value(Tier.PLATINUM)),
                When(ltv__gte=TIER_GOLD_CENTS, then=Value(Tier.GOLD)),
                When(ltv__gte=TIER_SILVER_CENTS, then=Value(Tier.SILVER)),
                default=Value(Tier.BRONZE),
                output_field=CharField(),
            ),
            profile_ltv=F("ltv"),
            profile_last_active=F("last_active"),
            profile_recomputed_at=Value(now, output_field=DateTimeField()),
        )
        .values_list(
            "profile_user_id",
            "profile_segment",
            "profile_tier",
            "profile_ltv",
            "profile_last_active",
            "profile_recomputed_at",
        )
    )


@transaction.atomic
def customer_profiles_recompute(*, now: datetime | None = None) -> int:
    """Recompute every person's segment, tier and lifetime value in one INSERT … SELECT; returns the rows written."""
    now = now or timezone.now()
    select_sql, params = _computed_profiles(now).query.sql_with_params()
    table = CustomerProfile._meta.db_table
    # "WHERE true" keeps SQLite from reading ON CONFLICT as a join's ON. The table name is ours and
    # the SELECT is Django's compiled query with its parameters kept apart, so nothing user-given is
    # pasted into the statement.
    sql = (
        f"INSERT INTO {table} (user_id, segment, tier, lifetime_value_cents, last_active_at, recomputed_at) "  # noqa: S608
        f"SELECT * FROM ({select_sql}) AS computed WHERE true "
        "ON CONFLICT (user_id) DO UPDATE SET segment = excluded.segment, tier = excluded.tier, "
        "lifetime_value_cents = excluded.lifetime_value_cents, last_active_at = excluded.last_active_at, "
        "recomputed_at = excluded.recomputed_at"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


__all__ = ["customer_profiles_recompute"]
