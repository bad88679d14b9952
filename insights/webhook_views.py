"""The creator's webhook pages: endpoints of the current workspace, their deliveries and actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from insights import services
from insights.forms import WebhookEndpointForm
from insights.permissions import webhook_delivery_get_for_user, webhook_endpoint_get_for_user, webhook_team_get_for_user
from insights.selectors import (
    success_rate,
    webhook_delivery_list_for_endpoint,
    webhook_endpoint_list_with_stats,
    webhook_endpoint_stats,
)
from teams.models import Team
from teams.workspaces import workspace_team_for_request

RECENT_DELIVERIES = 25
NEW_SECRET_SESSION_KEY = "webhook_new_secret"  # noqa: S105 (a session key name, not a secret)


def _workspace(request: HttpRequest) -> Team | None:
    team = workspace_team_for_request(request)
    # A team's endpoints are its owners' and admins' business: others get the 403 page.
    return webhook_team_get_for_user(user=request.user, slug=team.slug) if team else None


def _show_secret_once(request: HttpRequest, endpoint_id: int, secret: str) -> None:
    request.session[NEW_SECRET_SESSION_KEY] = {"endpoint": endpoint_id, "secret": secret}


@login_required
def webhook_endpoint_list(request: HttpRequest) -> HttpResponse:
    team = _workspace(request)
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint, secret = services.webhook_endpoint_create(
                actor=request.user,
                team=team,
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            _show_secret_once(request, endpoint.pk, secret)
            return redirect("webhook-endpoint-detail", pk=endpoint.pk)
    endpoints = list(webhook_endpoint_list_with_stats(user=request.user, team=team))
    for endpoint in endpoints:
        endpoint.success_rate = success_rate(endpoint.succeeded_count, endpoint.failed_count)
    return render(request, "insights/webhooks/list.html", {"endpoints": endpoints, "form": form, "team": team})


@login_required
def webhook_endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = webhook_endpoint_get_for_user(user=request.user, endpoint_id=pk)
    shown = request.session.get(NEW_SECRET_SESSION_KEY) or {}
    new_secret = None
    if shown.get("endpoint") == endpoint.pk:
        new_secret = request.session.pop(NEW_SECRET_SESSION_KEY)["secret"]
    form = WebhookEndpointForm(
        request.POST or None,
        initial={"url": endpoint.url, "description": endpoint.description, "events": endpoint.event_types},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.webhook_endpoint_update(
                endpoint=endpoint,
                actor=request.user,
                url=form.cleaned_data["url"],
                event_types=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("The endpoint was saved."))
            return redirect("webhook-endpoint-detail", pk=endpoint.pk)
    deliveries = webhook_delivery_list_for_endpoint(endpoint=endpoint)[:RECENT_DELIVERIES]
    return render(
        request,
        "insights/webhooks/detail.html",
        {
            "endpoint": endpoint,
            "form": form,
            "deliveries": deliveries,
            "stats": webhook_endpoint_stats(endpoint=endpoint),
            "new_secret": new_secret,
        },
    )


@login_required
@require_POST
def webhook_endpoint_test(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = webhook_endpoint_get_for_user(user=request.user, endpoint_id=pk)
    services.webhook_endpoint_send_test(endpoint=endpoint, actor=request.user)
    messages.success(request, _("A test event is on its way."))
    return redirect("webhook-endpoint-detail", pk=endpoint.pk)


@login_required
@require_POST
def webhook_endpoint_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = webhook_endpoint_get_for_user(user=request.user, endpoint_id=pk)
    secret = services.webhook_endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
    _show_secret_once(request, endpoint.pk, secret)
    messages.success(request, _("New secret made. The old one keeps signing for 24 hours."))
    return redirect("webhook-endpoint-detail", pk=endpoint.pk)


@login_required
@require_POST
def webhook_endpoint_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = webhook_endpoint_get_for_user(user=request.user, endpoint_id=pk)
    services.webhook_endpoint_update(endpoint=endpoint, actor=request.user, is_active=not endpoint.is_active)
    return redirect("webhook-endpoint-detail", pk=endpoint.pk)


@login_required
@require_POST
def webhook_endpoint_delete(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = webhook_endpoint_get_for_user(user=request.user, endpoint_id=pk)
    services.webhook_endpoint_delete(endpoint=endpoint, actor=request.user)
    messages.success(request, _("The endpoint was deleted."))
    return redirect("webhook-endpoint-list")


@login_required
@require_POST
def webhook_delivery_redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    delivery = webhook_delivery_get_for_user(user=request.user, delivery_id=pk)
    services.webhook_delivery_redeliver(delivery=delivery, actor=request.user)
    messages.success(request, _("The delivery is being sent again."))
    return redirect("webhook-endpoint-detail", pk=delivery.endpoint_id)
