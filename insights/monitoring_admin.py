"""The ops console of the monitoring: the health score and slowest routes, alert rules and episodes,
daily costs and the weekly retrospective. Every write goes through insights.services.monitoring."""

from datetime import timedelta
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from insights import monitoring_selectors as selectors
from insights.alerts import DEFAULTS
from insights.health_score import health_score
from insights.models import AlertEpisode, AlertRule, DailyCost, RouteTiming
from insights.retrospective import last_full_week, retrospective_build
from insights.services.monitoring import alert_rule_update, daily_cost_delete, daily_cost_save
from teams.admin import ReadOnlyAdmin, ThroughServices


def _percent(ratio: float | None) -> float | None:
    return None if ratio is None else 100 * ratio


def _duration(episode: AlertEpisode) -> str:
    taken = episode.time_to_resolve
    if taken is None:
        return str(_("open"))
    minutes = int(taken.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


@admin.register(RouteTiming)
class MonitoringAdmin(ReadOnlyAdmin):
    """The monitoring page: health score with its components, uptime per check, the slowest routes
    (p50 / p95 / p99, error rate) of the last 24 hours and 7 days, and the open alerts."""

    actions = None

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        day, week = now - timedelta(days=1), now - timedelta(days=7)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Monitoring"),
            "opts": self.model._meta,
            "score": health_score(now=now),
            "uptime_day": _percent(selectors.uptime_ratio(since=day, until=now)),
            "uptime_month": _percent(selectors.uptime_ratio(since=now - timedelta(days=30), until=now)),
            "latest_checks": selectors.health_check_latest(),
            "totals_day": selectors.request_totals(since=day, until=now),
            "slowest_day": selectors.route_timing_slowest(since=day, until=now, limit=20),
            "slowest_week": selectors.route_timing_slowest(since=week, until=now, limit=20),
            "open_episodes": list(
                AlertEpisode.objects.filter(resolved_at__isnull=True).select_related("rule").order_by("-started_at")
            ),
        }
        return TemplateResponse(request, "admin/insights/monitoring.html", context)


@admin.register(AlertRule)
class AlertRuleAdmin(ThroughServices, admin.ModelAdmin):
    list_display = [
        "key", "severity", "threshold", "meaning", "window_minutes", "is_active", "episode_count", "last_fired_at",
    ]  # fmt: skip
    list_filter = ["severity", "is_active"]
    fields = ["key", "meaning", "severity", "threshold", "window_minutes", "is_active", "history"]
    readonly_fields = ["key", "meaning", "history"]
    actions = None

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .annotate(episode_total=Count("episodes"), last_started_at=Max("episodes__started_at"))
        )

    @admin.display(description=_("episodes"), ordering="episode_total")
    def episode_count(self, rule: AlertRule) -> int:
        return rule.episode_total  # type: ignore[attr-defined]

    @admin.display(description=_("last fired"), ordering="last_started_at")
    def last_fired_at(self, rule: AlertRule) -> Any:
        return rule.last_started_at  # type: ignore[attr-defined]

    @admin.display(description=_("latest episodes"))
    def history(self, rule: AlertRule) -> str:
        episodes = rule.episodes.order_by("-started_at")[:10]
        url = reverse("admin:insights_alertepisode_changelist") + f"?rule__id__exact={rule.pk}"
        items = format_html_join(
            "",
            "<li>{} - {}: {} ({})</li>",
            (
                (
                    f"{e.started_at:%Y-%m-%d %H:%M}",
                    f"{e.resolved_at:%Y-%m-%d %H:%M}" if e.resolved_at else _("open"),
                    e.title,
                    _duration(e),
                )
                for e in episodes
            ),
        )
        return format_html('<ul>{}</ul><a href="{}">{}</a>', items, url, _("All episodes of this rule"))

    @admin.display(description=_("threshold means"))
    def meaning(self, rule: AlertRule) -> str:
        return str(DEFAULTS[rule.key].meaning) if rule.key in DEFAULTS else ""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the rules are the ones the evaluator knows how to measure

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switch a rule off instead

    def save_model(self, request: HttpRequest, obj: AlertRule, form: Any, change: bool) -> None:
        alert_rule_update(
            rule=obj,
            severity=obj.severity,
            threshold=obj.threshold,
            window_minutes=obj.window_minutes,
            is_active=obj.is_active,
        )


class OpenFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("open", _("open")), ("resolved", _("resolved"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() in ("open", "resolved"):
            return queryset.filter(resolved_at__isnull=self.value() == "open")
        return queryset


@admin.register(AlertEpisode)
class AlertEpisodeAdmin(ReadOnlyAdmin):
    """Every firing of every rule: when it started, when it cleared and how long that took."""

    list_display = ["started_at", "severity", "title", "rule", "resolved_at", "time_to_resolve_display"]
    list_filter = [OpenFilter, "severity", "rule"]
    list_select_related = ["rule"]
    date_hierarchy = "started_at"
    actions = None

    @admin.display(description=_("time to resolve"))
    def time_to_resolve_display(self, episode: AlertEpisode) -> str:
        return _duration(episode)

    def get_urls(self) -> list:
        view = self.admin_site.admin_view(self.retrospective_view)
        return [path("retrospective/", view, name="insights_retrospective"), *super().get_urls()]

    def retrospective_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        since, until = last_full_week(now=timezone.now())
        if request.GET.get("week") == "current":
            since, until = until, timezone.now()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Weekly retrospective"),
            "opts": self.model._meta,
            "report": retrospective_build(since=since, until=until),
        }
        return TemplateResponse(request, "admin/insights/retrospective.html", context)


@admin.register(DailyCost)
class DailyCostAdmin(ThroughServices, admin.ModelAdmin):
    """What each day cost, entered by staff; the daily-cost alert compares the latest with the average."""

    list_display = ["day", "amount", "note", "entered_by"]
    list_select_related = ["entered_by"]
    fields = ["day", "amount_cents", "note"]
    date_hierarchy = "day"
    actions = None

    @admin.display(description=_("amount"), ordering="amount_cents")
    def amount(self, cost: DailyCost) -> str:
        return f"{cost.amount_cents / 100:.2f}"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["day"] if obj else []  # one row per day: a cost moves by deleting it

    def save_model(self, request: HttpRequest, obj: DailyCost, form: Any, change: bool) -> None:
        saved = daily_cost_save(day=obj.day, amount_cents=obj.amount_cents, note=obj.note, actor=request.user)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: DailyCost) -> None:
        daily_cost_delete(cost=obj)
