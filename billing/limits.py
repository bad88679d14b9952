"""The single entry point for "may this account do X / how many" questions.

Every app asks here; nobody compares plan names. An account is a User or a Team:

- a user is on the plan of their live subscription, else on the default (Free) plan;
- a team is on the best plan among its owners' subscriptions (so a Pro owner brings Pro to
  every team they own; the team has no subscription of its own), else on the Free plan.

A subscription counts while trialing or active, and while past_due for
`BILLING_PAST_DUE_GRACE_DAYS` after the payment failed; canceled means Free, and so does a
subscription set to cancel at period end once that end has passed (even before the renewal
task has closed it).
Limits are columns of `billing.Plan` that staff edit in the admin. A lookup costs one query
(subscription joined to its plan), plus one for the Free plan when there is no subscription.

Metered usage (videos created; later exports, publications) is counted per account and month
by billing itself (`billing.models.UsageCounter`, written by `billing.services.usage_record` in the
action's transaction) and checked here with `check_usage`; never count analytics events for it.

Downgrading keeps every video, version and branding profile; the Free limits simply apply
from then on (new Pro-only actions are refused with an upgrade prompt, extra versions are
trimmed at the next edit by the versions app).
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.errors import LimitReached


class Limit(models.TextChoices):
    VIDEOS_PER_MONTH = "videos_per_month", _("Videos per month")
    VERSIONS_KEPT = "versions_kept", _("Versions kept per video")
    UPLOAD_SIZE_MB = "upload_size_mb", _("Upload size (MB)")
    BRANDING = "branding", _("Logo branding")
    PRO_TEMPLATES = "pro_templates", _("Pro templates")
    EXPORT_BATCH_SIZE = "export_batch_size", _("Videos per batch export")
    BULK_ROWS_PER_JOB = "bulk_rows_per_job", _("Rows per bulk job")
    TEAM_SEATS = "team_seats", _("Team seats")
    API_RATE_PER_HOUR = "api_rate_per_hour", _("API requests per hour")
    PUBLICATIONS_PER_MONTH = "publications_per_month", _("Scheduled publications per month")


class Metered(models.TextChoices):
    """What billing counts per account and month (`UsageCounter`), recorded by `usage_record`."""

    VIDEOS_CREATED = "videos_created", _("Videos created")
    EXPORTS = "exports", _("Batch exports")
    PUBLICATIONS = "publications", _("Publications")


# The monthly limit each metered kind is checked against; a kind not named here is counted (for
# billing's figures and a later monthly limit) but not capped: batch exports are capped per batch
# by Limit.EXPORT_BATCH_SIZE.
METERED_LIMITS: dict[str, str] = {
    Metered.VIDEOS_CREATED: Limit.VIDEOS_PER_MONTH,
    Metered.PUBLICATIONS: Limit.PUBLICATIONS_PER_MONTH,
}


# The Free plan's limits as seeded by billing's data migration; None means unlimited, booleans
# gate a feature. Used only if the Free plan row is missing (never in a migrated database).
FREE_LIMITS: dict[str, int | bool | None] = {
    Limit.VIDEOS_PER_MONTH: 10,
    Limit.VERSIONS_KEPT: 5,
    Limit.UPLOAD_SIZE_MB: 100,
    Limit.BRANDING: False,
    Limit.PRO_TEMPLATES: False,
    Limit.EXPORT_BATCH_SIZE: 10,
    Limit.BULK_ROWS_PER_JOB: 10,
    Limit.TEAM_SEATS: 3,
    Limit.API_RATE_PER_HOUR: 1000,
    Limit.PUBLICATIONS_PER_MONTH: 30,
}


def _in_force(subscription: Any, now: Any) -> bool:
    if subscription.cancel_at_period_end and subscription.current_period_end <= now:
        return False  # over, even if the renewal task has not closed it yet
    if subscription.status != subscription.Status.PAST_DUE:
        return True
    since = subscription.past_due_since or subscription.current_period_end
    return now < since + timedelta(days=settings.BILLING_PAST_DUE_GRACE_DAYS)


def subscription_for(account: object) -> Any:
    """The subscription that decides the account's plan (with its plan loaded), or None."""
    from billing.models import Subscription
    from teams.models import Membership, Team, User

    if isinstance(account, Team):
        subscriptions = Subscription.objects.filter(
            user__memberships__team=account, user__memberships__role=Membership.Role.OWNER
        )
    elif isinstance(account, User) and account.pk:
        subscriptions = Subscription.objects.filter(user=account)
    else:
        return None
    now = timezone.now()
    live = subscriptions.live().select_related("plan").order_by("-plan__rank")
    return next((s for s in live if _in_force(s, now)), None)


_plans = threading.local()


@contextmanager
def plans_remembered() -> Iterator[None]:
    """Within the block, each account's plan is looked up once (its usage is still read every time).

    For work that asks many times for the same few accounts in a few seconds, such as a batch of a
    bulk job; a plan changed meanwhile applies from the next block on.
    """
    outer = getattr(_plans, "cache", None)
    _plans.cache = {} if outer is None else outer
    try:
        yield
    finally:
        _plans.cache = outer


def plan_for(account: object) -> Any:
    """The Plan the account is on (the default Free plan without a live subscription)."""
    from billing.models import Plan

    cache = getattr(_plans, "cache", None)
    key = (type(account).__name__, getattr(account, "pk", None))
    if cache is not None and key in cache:
        return cache[key]
    subscription = subscription_for(account)
    plan = subscription.plan if subscription is not None else Plan.objects.filter(is_default=True).first()
    if cache is not None and key[1] is not None:
        cache[key] = plan
    return plan


def plan_code_for(account: object) -> str:
    """The code of the plan the account (a user or a team) is on."""
    plan = plan_for(account)
    return plan.code if plan is not None else "free"


def limits_for(account: object) -> dict[str, int | bool | None]:
    """Every limit of the account's plan, keyed by `Limit` (one lookup for many questions)."""
    plan = plan_for(account)
    if plan is None:
        return dict(FREE_LIMITS)
    return {key: getattr(plan, key) for key in Limit.values}


def value(account: object, key: str) -> int | bool | None:
    """The account's limit for `key`: a number, a feature flag, or None for unlimited."""
    if key not in Limit.values:
        raise ValueError(f"Unknown limit {key!r}")
    plan = plan_for(account)
    return getattr(plan, key) if plan is not None else FREE_LIMITS[key]


def allows(account: object, key: str, *, used: int = 0, adding: int = 1) -> bool:
    """Whether the account may use a feature, or add `adding` more when `used` are in use."""
    return _allowed(value(account, key), used=used, adding=adding)


def _allowed(limit: int | bool | None, *, used: int, adding: int) -> bool:
    if isinstance(limit, bool):
        return limit
    return limit is None or used + adding <= limit


def usage(account: object, kind: str, *, at: datetime | None = None) -> int:
    """How much of the metered `kind` the account used in the month of `at` (default: now)."""
    from billing.models import UsageCounter
    from billing.periods import usage_period_start

    fields = UsageCounter.account_fields(account)
    if fields is None:
        return 0
    counted = UsageCounter.objects.filter(**fields, kind=kind, period_start=usage_period_start(at or timezone.now()))
    return counted.values_list("count", flat=True).first() or 0


def check_usage(account: object, kind: str, *, adding: int = 1) -> None:
    """Raise LimitReached when `adding` more of `kind` this month would pass the account's limit.

    Reads billing's own counter, so deleting what was made does not give its place back. Call it
    with the account's row locked when the action follows in the same transaction.
    """
    if kind in METERED_LIMITS:
        check(account, METERED_LIMITS[kind], used=usage(account, kind), adding=adding)


def upgrade_url() -> str:
    """Where an upgrade prompt should link (the pricing page)."""
    from django.urls import reverse

    return reverse("pricing")


def check(account: object, key: str, *, used: int = 0, adding: int = 1) -> None:
    """Raise LimitReached, with a message naming the limit, when `allows` says no."""
    limit = value(account, key)
    if _allowed(limit, used=used, adding=adding):
        return
    label = Limit(key).label
    if isinstance(limit, bool):
        raise LimitReached(
            _("Your plan does not include %(feature)s. Upgrade to use it.") % {"feature": label},
            code=f"limit_{key}",
        )
    raise LimitReached(
        _("You have reached your plan's limit of %(limit)s for %(feature)s. Upgrade for more.")
        % {"limit": limit, "feature": label},
        code=f"limit_{key}",
    )
