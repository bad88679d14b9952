"""Billing writes for metered usage: the one counter every metered action goes through.

An action that a plan limits per month (creating a video; later exports, publications) asks
`billing.limits.check_usage` first and calls `usage_record` in its own transaction, so the count
and the action commit or roll back together.
"""

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from billing.limits import Metered
from billing.models import UsageCounter
from billing.periods import usage_period_start
from teams.models import Team, User


@transaction.atomic
def usage_record(*, account: User | Team, kind: Metered, amount: int = 1, at: datetime | None = None) -> None:
    """Count `amount` of `kind` towards the account's month (of `at`, default now)."""
    if amount < 1:
        raise ValueError("Usage is only ever added.")
    fields = UsageCounter.account_fields(account)
    if fields is None:
        raise ValueError(f"Usage needs a saved user or team, not {account!r}.")
    now = timezone.now()
    # Two first uses in one month at once: the unique constraint lets one insert win, and
    # get_or_create then reads the winner's row (in its savepoint); the increment itself is one
    # UPDATE of the row, so concurrent increments queue on its lock and none is lost.
    period_start = usage_period_start(at or now)
    counter, _created = UsageCounter.objects.get_or_create(**fields, kind=kind, period_start=period_start)
    UsageCounter.objects.filter(pk=counter.pk).update(count=F("count") + amount, updated_at=now)
