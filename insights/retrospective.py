"""The weekly retrospective: a registry of sections and of quick-win rules over them.

A section is one call: `register_section(key, title, provider)`, where `provider(since, until)`
returns rows (a list of dicts, the same keys in every row, shown as a table in the admin page and
the e-mail). A quick-win rule is one call too: `register_quick_win(rule)`, where
`rule(sections)` gets {section key: rows} of the sections present and returns sentences; a rule
whose section is missing returns nothing. The sections, with the rows the rules read:

- "funnel_drops": {"step": str, "drop_percent": float} (steps dropping more than 20 %)
- "support_categories": {"category": str, "count": int}, most frequent first
- "detractor_themes": {"theme": str, "count": int}, most frequent first
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from insights import monitoring_selectors as selectors
from insights.models import AlertEpisode, RetrospectiveSend
from teams.models import User
from teams.services.emails import email_queue

Rows = list[dict[str, object]]
Provider = Callable[[datetime, datetime], Rows]
QuickWinRule = Callable[[dict[str, Rows]], list[str]]


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    provider: Provider


SECTIONS: dict[str, Section] = {}
QUICK_WIN_RULES: list[QuickWinRule] = []


def register_section(key: str, title: str | Promise, provider: Provider) -> None:
    """Add (or replace) a section of the report; sections appear in the order they were registered."""
    SECTIONS[key] = Section(key=key, title=title, provider=provider)


def register_quick_win(rule: QuickWinRule) -> QuickWinRule:
    """Add a rule deriving quick wins from the sections (usable as a decorator)."""
    if rule not in QUICK_WIN_RULES:
        QUICK_WIN_RULES.append(rule)
    return rule


@dataclass
class SectionResult:
    key: str
    title: str
    rows: Rows

    @property
    def columns(self) -> list[str]:
        return list(self.rows[0]) if self.rows else []


@dataclass
class Report:
    since: datetime
    until: datetime
    sections: list[SectionResult] = field(default_factory=list)
    quick_wins: list[str] = field(default_factory=list)


def retrospective_build(*, since: datetime, until: datetime) -> Report:
    """Every registered section over [since, until), and the quick wins the rules derive from them."""
    report = Report(since=since, until=until)
    for section in SECTIONS.values():
        report.sections.append(SectionResult(section.key, str(section.title), section.provider(since, until)))
    rows_by_key = {s.key: s.rows for s in report.sections}
    for rule in QUICK_WIN_RULES:
        report.quick_wins.extend(rule(rows_by_key))
    return report


def last_full_week(*, now: datetime) -> tuple[datetime, datetime]:
    """Monday 00:00 to Monday 00:00 (UTC) of the last week that has ended."""
    monday = now.date() - timedelta(days=now.weekday())
    until = datetime.combine(monday, time.min, tzinfo=timezone.get_default_timezone())
    return until - timedelta(days=7), until


# --- Our own sections -------------------------------------------------------------------------

SLOW_ROUTE_MS = 1000
ERROR_ROUTE_RATE = 0.01
NOISY_ALERT_EPISODES = 3


def slowest_routes(since: datetime, until: datetime) -> Rows:
    return [
        {
            "route": f"{s.method} {s.route}",
            "requests": s.count,
            "p50_ms": s.p50_ms,
            "p95_ms": s.p95_ms,
            "p99_ms": s.p99_ms,
            "error_rate": round(100 * s.error_rate, 2),
        }
        for s in selectors.route_timing_slowest(since=since, until=until, limit=10)
    ]


def alerts_of_the_week(since: datetime, until: datetime) -> Rows:
    episodes = AlertEpisode.objects.filter(started_at__gte=since, started_at__lt=until).select_related("rule")
    return [
        {
            "rule": str(e.rule),
            "severity": e.severity,
            "title": e.title,
            "started": e.started_at.strftime("%Y-%m-%d %H:%M"),
            "minutes_to_resolve": round(e.time_to_resolve.total_seconds() / 60) if e.time_to_resolve else None,
        }
        for e in episodes.order_by("started_at")[:100]
    ]


register_section("slowest_routes", _lazy("Slowest routes"), slowest_routes)
register_section("alerts", _lazy("Alerts of the week"), alerts_of_the_week)


def funnel_drops(since: datetime, until: datetime) -> Rows:
    """The funnel steps of the week that lost more than 20 % of the step before (the metrics' flag)."""
    from insights.metrics.funnel import funnel_steps

    end = timezone.localtime(until - timedelta(microseconds=1)).date()
    return [
        {"step": str(step.label), "drop_percent": round(100 * (step.drop_off or 0), 1)}
        for step in funnel_steps(start=timezone.localtime(since).date(), end=end)
        if step.flagged
    ]


def support_categories(since: datetime, until: datetime) -> Rows:
    from insights.support_selectors import support_categories_top

    return [{"category": label, "count": count} for label, count in support_categories_top(since=since, until=until)]


def detractor_themes(since: datetime, until: datetime) -> Rows:
    from insights.nps_selectors import nps_detractor_themes

    return [{"theme": theme, "count": count} for theme, count in nps_detractor_themes(since=since, until=until)]


register_section("funnel_drops", _lazy("Funnel steps dropping more than 20 %"), funnel_drops)
register_section("support_categories", _lazy("Most frequent support categories"), support_categories)
register_section("detractor_themes", _lazy("Detractor themes"), detractor_themes)


# --- Quick-win rules --------------------------------------------------------------------------


@register_quick_win
def speed_up_slow_routes(sections: dict[str, Rows]) -> list[str]:
    """A route whose p95 reached SLOW_ROUTE_MS."""
    return [
        _("Speed up %(route)s: p95 up to %(p95)s ms over %(count)s requests.")
        % {"route": row["route"], "p95": f"{row['p95_ms']:g}", "count": row["requests"]}
        for row in sections.get("slowest_routes", [])
        if (row["p95_ms"] or 0) >= SLOW_ROUTE_MS
    ]


@register_quick_win
def fix_failing_routes(sections: dict[str, Rows]) -> list[str]:
    """A route answering 5xx to at least ERROR_ROUTE_RATE of its requests."""
    return [
        _("Fix the server errors of %(route)s: %(rate)s %% of its requests failed.")
        % {"route": row["route"], "rate": row["error_rate"]}
        for row in sections.get("slowest_routes", [])
        if float(row["error_rate"]) >= 100 * ERROR_ROUTE_RATE  # type: ignore[arg-type]
    ]


@register_quick_win
def tune_noisy_alerts(sections: dict[str, Rows]) -> list[str]:
    """A rule that fired NOISY_ALERT_EPISODES times or more in the week."""
    counts = Counter(str(row["rule"]) for row in sections.get("alerts", []))
    return [
        _("“%(rule)s” fired %(count)s times: fix its cause or tune its threshold.") % {"rule": rule, "count": count}
        for rule, count in sorted(counts.items())
        if count >= NOISY_ALERT_EPISODES
    ]


@register_quick_win
def improve_dropping_funnel_steps(sections: dict[str, Rows]) -> list[str]:
    """A funnel step losing more than 20 % (the funnel section, when registered)."""
    return [
        _("Improve the funnel step “%(step)s”: %(drop)s %% drop.") % {"step": row["step"], "drop": row["drop_percent"]}
        for row in sections.get("funnel_drops", [])
        if float(row["drop_percent"]) > 20  # type: ignore[arg-type]
    ]


@register_quick_win
def answer_top_support_category(sections: dict[str, Rows]) -> list[str]:
    """The most frequent support category deserves a help article."""
    rows = sections.get("support_categories", [])
    if not rows:
        return []
    top = rows[0]
    return [_("Write a help article on “%(category)s” (%(count)s requests).") % top]


@register_quick_win
def address_top_detractor_theme(sections: dict[str, Rows]) -> list[str]:
    """The theme detractors name most often."""
    rows = sections.get("detractor_themes", [])
    if not rows:
        return []
    return [_("Address “%(theme)s”, named by %(count)s detractors.") % rows[0]]


# --- Sending ----------------------------------------------------------------------------------


def retrospective_send(*, now: datetime | None = None) -> int:
    """E-mail last week's report to every active staff member in their language, once per week
    (fenced by the week's RetrospectiveSend row). Returns the number of e-mails queued."""
    since, until = last_full_week(now=now or timezone.now())
    week_start: date = since.date()
    staff = list(User.objects.filter(is_staff=True, is_active=True).order_by("pk"))
    report_url = settings.SITE_URL.rstrip("/") + reverse("admin:insights_retrospective")
    try:
        with transaction.atomic():
            RetrospectiveSend.objects.create(week_start=week_start, sent_at=timezone.now(), recipients=len(staff))
            for person in staff:
                with translation.override(person.language or settings.LANGUAGE_CODE):
                    report = retrospective_build(since=since, until=until)
                email_queue(
                    to=person.email,
                    template="insights/email/retrospective",
                    context={"report": report, "report_url": report_url},
                    language=person.language,
                )
    except IntegrityError:
        return 0  # this week's report went out already
    return len(staff)
