"""How each alert rule is measured: one small function per rule key, reading our own data.

A measure takes the rule (for its threshold and window) and the evaluation time and returns a
`Measurement`: the value it compared, what it compared it with, and whether the condition holds.
`None` means the rule cannot be measured now (no baseline yet, or not applicable on this database):
an open episode is then left as it is rather than resolved on missing data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.utils.translation import gettext_lazy as _

from insights import monitoring_selectors as selectors
from insights.event_names import EventName
from insights.monitoring_models import AlertRule

Key = AlertRule.Key
Severity = AlertRule.Severity

# Percentiles need enough requests to mean anything; below this the latency rule waits.
MIN_REQUESTS_FOR_LATENCY = 20
MIN_REQUESTS_FOR_ERROR_RATE = 20
# Baselines: the hourly signup average over this long; conversion compared with this many windows.
SIGNUP_BASELINE = timedelta(days=7)
CONVERSION_BASELINE_WINDOWS = 4
COST_BASELINE_DAYS = 30


@dataclass(frozen=True)
class Measurement:
    firing: bool
    value: float  # what was measured, in the rule's unit
    limit: float  # what it was compared with (the threshold, or threshold x baseline)
    detail: str = ""


@dataclass(frozen=True)
class RuleDefault:
    severity: str
    threshold: float
    window_minutes: int
    meaning: str  # what the threshold means, shown to staff


# The eight rules of issue #17, as the data migration seeds them. A label starting with "% " is
# plain text, not a format string: the xgettext comments keep msgfmt from reading "% d" as one.
DEFAULTS: dict[str, RuleDefault] = {
    Key.PAYMENT_FAILURES: RuleDefault(Severity.P0, 5, 60, _("failed payments in the window (more than)")),
    Key.SIGNUP_SPIKE: RuleDefault(Severity.INFO, 2, 60, _("x the hourly signup average of the last 7 days")),
    # xgettext:no-python-format
    Key.DAU_DECLINE: RuleDefault(Severity.P1, 20, 7 * 24 * 60, _("% drop of mean DAU against the window before")),
    Key.LATENCY_P95: RuleDefault(Severity.P1, 500, 15, _("ms, p95 of all requests in the window")),
    # xgettext:no-python-format
    Key.ERROR_RATE: RuleDefault(Severity.P0, 5, 5, _("% of requests answered 5xx in the window")),
    # xgettext:no-python-format
    Key.DB_CONNECTIONS: RuleDefault(Severity.P1, 90, 1, _("% of max_connections in use (PostgreSQL only)")),
    # xgettext:no-python-format
    Key.CONVERSION_DROP: RuleDefault(Severity.P2, 70, 7 * 24 * 60, _("% of the average conversion of 4 windows")),
    Key.DAILY_COST: RuleDefault(Severity.P2, 1.5, 24 * 60, _("x the average entered daily cost of 30 days")),
}


def _window(rule: AlertRule, now: datetime) -> tuple[datetime, datetime]:
    return now - timedelta(minutes=rule.window_minutes), now


def payment_failures(rule: AlertRule, now: datetime) -> Measurement | None:
    since, until = _window(rule, now)
    failures = selectors.payment_failure_count(since=since, until=until)
    return Measurement(failures > rule.threshold, failures, rule.threshold)


def signup_spike(rule: AlertRule, now: datetime) -> Measurement | None:
    since, until = _window(rule, now)
    recent = selectors.signup_count(since=since, until=until)
    baseline = selectors.signup_count(since=since - SIGNUP_BASELINE, until=since)
    windows = SIGNUP_BASELINE / timedelta(minutes=rule.window_minutes)
    # The average is floored at one signup per window: on a quiet week, two signups are no spike.
    average = max(baseline / windows, 1.0)
    limit = rule.threshold * average
    return Measurement(recent > limit, recent, limit, f"average {average:.2f}")


def dau_decline(rule: AlertRule, now: datetime) -> Measurement | None:
    days = max(rule.window_minutes // (24 * 60), 1)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    # Whole days only: today is still filling up.
    recent = selectors.mean_daily_active_users(since=today - timedelta(days=days), days=days)
    before = selectors.mean_daily_active_users(since=today - timedelta(days=2 * days), days=days)
    if not before:
        return None
    drop = 100 * (before - recent) / before
    return Measurement(drop > rule.threshold, round(drop, 2), rule.threshold, f"{before:.1f} → {recent:.1f}")


def latency_p95(rule: AlertRule, now: datetime) -> Measurement | None:
    since, until = _window(rule, now)
    totals = selectors.request_totals(since=since, until=until)
    if totals.count < MIN_REQUESTS_FOR_LATENCY or totals.p95_ms is None:
        return None
    return Measurement(totals.p95_ms > rule.threshold, totals.p95_ms, rule.threshold, f"{totals.count} requests")


def error_rate(rule: AlertRule, now: datetime) -> Measurement | None:
    since, until = _window(rule, now)
    totals = selectors.request_totals(since=since, until=until)
    if totals.count < MIN_REQUESTS_FOR_ERROR_RATE:
        return None
    percent = round(100 * totals.error_rate, 2)
    return Measurement(percent > rule.threshold, percent, rule.threshold, f"{totals.error_count}/{totals.count}")


def db_connections(rule: AlertRule, now: datetime) -> Measurement | None:
    # SQLite has no server and no connection limit: the rule does not apply there.
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), current_setting('max_connections')::int FROM pg_stat_activity")
        used, maximum = cursor.fetchone()
    percent = round(100 * used / maximum, 2)
    return Measurement(percent > rule.threshold, percent, rule.threshold, f"{used}/{maximum}")


def _conversion(since: datetime, until: datetime) -> float | None:
    signups = selectors.signup_count(since=since, until=until)
    if not signups:
        return None
    return selectors.event_count(name=EventName.USER_SUBSCRIBED, since=since, until=until) / signups


def conversion_drop(rule: AlertRule, now: datetime) -> Measurement | None:
    since, until = _window(rule, now)
    current = _conversion(since, until)
    length = until - since
    earlier = [_conversion(since - length * (i + 1), since - length * i) for i in range(CONVERSION_BASELINE_WINDOWS)]
    known = [c for c in earlier if c is not None]
    if current is None or not known or not sum(known):
        return None
    average = sum(known) / len(known)
    limit = rule.threshold / 100 * average
    return Measurement(
        current < limit, round(100 * current, 2), round(100 * limit, 2), f"average {100 * average:.1f} %"
    )


def daily_cost(rule: AlertRule, now: datetime) -> Measurement | None:
    costs = selectors.daily_cost_list(until=now.date(), days=COST_BASELINE_DAYS + 1)
    if len(costs) < 2 or (now.date() - costs[0].day).days * 24 * 60 >= rule.window_minutes + 24 * 60:
        return None  # no recent entry, or nothing to compare it with
    latest, earlier = costs[0], costs[1:]
    average = sum(c.amount_cents for c in earlier) / len(earlier)
    limit = rule.threshold * average
    return Measurement(latest.amount_cents > limit, latest.amount_cents / 100, limit / 100, f"{latest.day}")


RULES: dict[str, Callable[[AlertRule, datetime], Measurement | None]] = {
    Key.PAYMENT_FAILURES: payment_failures,
    Key.SIGNUP_SPIKE: signup_spike,
    Key.DAU_DECLINE: dau_decline,
    Key.LATENCY_P95: latency_p95,
    Key.ERROR_RATE: error_rate,
    Key.DB_CONNECTIONS: db_connections,
    Key.CONVERSION_DROP: conversion_drop,
    Key.DAILY_COST: daily_cost,
}
