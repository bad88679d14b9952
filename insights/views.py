from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from insights.health import health_report
from insights.selectors import event_counts_by_day_for_user, event_list_recent_for_user


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    activity = event_counts_by_day_for_user(user=request.user, days=7)
    return render(
        request,
        "insights/dashboard.html",
        {
            "activity_labels": [day.isoformat() for day, _ in activity],
            "activity_counts": [count for _, count in activity],
            "activity_total": sum(count for _, count in activity),
            "recent_events": event_list_recent_for_user(user=request.user, limit=10),
        },
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, checks = health_report(details=request.user.is_staff)
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
