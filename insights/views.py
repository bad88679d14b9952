from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from insights.engagement_selectors import creator_dashboard_for_user
from insights.health import health_report
from insights.selectors import event_counts_by_day_for_user, event_list_recent_for_user


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    activity = event_counts_by_day_for_user(user=request.user, days=7)
    board = creator_dashboard_for_user(user=request.user)
    chart_data = {
        "days": [day.isoformat() for day, _views, _watch in board.days],
        "views": [views for _day, views, _watch in board.days],
        "platforms": [label for _key, label, _figures in board.platforms],
        "platform_views": [figures.views for _key, _label, figures in board.platforms],
        "views_label": str(_("Views")),
    }
    return render(
        request,
        "insights/dashboard.html",
        {
            "activity_labels": [day.isoformat() for day, _ in activity],
            "activity_counts": [count for _, count in activity],
            "activity_total": sum(count for _, count in activity),
            "recent_events": event_list_recent_for_user(user=request.user, limit=10),
            "board": board,
            "trends": {trend.label: trend for trend in board.trends},
            "chart_data": chart_data,
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, checks = health_report(details=request.user.is_staff)
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
