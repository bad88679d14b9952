"""The public status page, its feeds, its e-mail subscription links, and the JSON for tools."""

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from rest_framework.throttling import AnonRateThrottle

from config.throttling import ident_rate_count
from insights.incident_models import Incident, IncidentUpdate
from insights.services.status import status_subscribe, status_subscription_confirm, status_unsubscribe
from insights.status import (
    COMPONENT_LABELS,
    STATE_ICONS,
    STATE_LABELS,
    html_cache_key,
    status_snapshot_cached,
)


def client_ident(request: HttpRequest) -> str:
    """The client's address, read behind `TRUSTED_PROXY_COUNT` proxies as the API's limits read it."""
    return AnonRateThrottle().get_ident(request)


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)


def _bar_class(uptime: float | None) -> str:
    if uptime is None:
        return "bar-none"
    return "bar-ok" if uptime >= 99.9 else "bar-warn" if uptime >= 99.0 else "bar-bad"


def _bars(days: list[dict[str, Any]]) -> str:
    # 90 bars for each of 11 components: joined here, where it costs a millisecond, rather than in a
    # template loop, where it cost 150. The bars sit inside role="img" with a text alternative.
    return format_html_join(
        "",
        '<span class="status-bar {}" title="{}: {}"></span>',
        ((_bar_class(d["uptime"]), d["date"], "—" if d["uptime"] is None else f"{d['uptime']:.2f} %") for d in days),
    )


def _decorate(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Labels in the active language, and datetimes the templates can format."""

    def when(value: str | None) -> Any:
        return parse_datetime(value) if value else None

    components = [
        {
            **c,
            "label": COMPONENT_LABELS[c["key"]],
            "state_label": STATE_LABELS[c["state"]],
            "icon": STATE_ICONS[c["state"]],
            "below": sum(1 for d in c["days"] if d["uptime"] is not None and d["uptime"] < 99.0),
            "bars": _bars(c["days"]),
        }
        for c in snapshot["components"]
    ]

    def incidents(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [
            {
                **row,
                "state_label": Incident.State(row["state"]).label,
                "impact_label": STATE_LABELS[row["impact"]],
                "icon": STATE_ICONS[row["impact"]],
                "component_labels": [COMPONENT_LABELS[k] for k in row["components"] if k in COMPONENT_LABELS],
                "detected": when(row["detected_at"]),
                "resolved": when(row["resolved_at"]),
                "updates": [
                    {**u, "state_label": Incident.State(u["state"]).label, "when": when(u["at"])}
                    for u in row["updates"]
                ],
            }
            for row in rows
        ]

    return {
        "overall": snapshot["state"],
        "overall_label": STATE_LABELS[snapshot["state"]],
        "overall_icon": STATE_ICONS[snapshot["state"]],
        "components": components,
        "incidents": incidents(snapshot["incidents"]),
        "recently_resolved": incidents(snapshot["recently_resolved"]),
        "maintenance": [
            {
                **m,
                "starts": when(m["starts_at"]),
                "ends": when(m["ends_at"]),
                "component_labels": [COMPONENT_LABELS[k] for k in m["components"] if k in COMPONENT_LABELS],
            }
            for m in snapshot["maintenance"]
        ],
        "generated": when(snapshot["generated_at"]),
    }


def status_body_html() -> str:
    """The page's content in the active language, cached until the snapshot changes."""
    key = html_cache_key(translation.get_language() or "en")
    html = cache.get(key)
    if html is None:
        # One page for everyone in a language, so in UTC (as it says), never the first reader's zone.
        with timezone.override(dt.UTC):
            html = render_to_string("insights/status/body.html", _decorate(status_snapshot_cached()))
        # status_cache_clear forgets it with the snapshot when an incident or maintenance changes.
        cache.set(key, html, timeout=settings.STATUS_CACHE_SECONDS)
    return html


@require_http_methods(["GET", "POST"])
def status_page(request: HttpRequest) -> HttpResponse:
    ident_rate_count(scope="status_pages", ident=f"addr:{client_ident(request)}")
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        status_subscribe(
            email=form.cleaned_data["email"],
            language=translation.get_language() or "en",
            client_ident=client_ident(request),
        )
        # The same answer whether or not the address was subscribed already: the form tells no one
        # who follows the status page.
        messages.success(request, _("Check your inbox: follow the link we sent to confirm the subscription."))
        return redirect("status")
    return render(request, "insights/status/page.html", {"body": mark_safe(status_body_html()), "form": form})  # noqa: S308 (our own template's output)


@require_http_methods(["GET", "POST"])
def status_confirm(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows a button: mail scanners that open links must not confirm for the person.
    ident_rate_count(scope="status_pages", ident=f"addr:{client_ident(request)}")
    if request.method == "POST":
        status_subscription_confirm(token=token)
        messages.success(request, _("You are subscribed: we will e-mail you about incidents."))
        return redirect("status")
    return render(request, "insights/status/confirm.html", {"action": "confirm"})


# The signed token is the permission; mail clients' one-click POST carries no CSRF token.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def status_unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    # RFC 8058 one-click: mail clients POST here; people get a page with one button.
    ident_rate_count(scope="status_pages", ident=f"addr:{client_ident(request)}")
    if request.method == "POST":
        status_unsubscribe(token=token)
        return render(request, "insights/status/confirm.html", {"action": "done"})
    return render(request, "insights/status/confirm.html", {"action": "unsubscribe"})


class IncidentFeed(Feed):
    """Incidents and their public updates, newest first (RSS 2.0)."""

    title = gettext_lazy("Video Creator status: incidents")
    description = gettext_lazy("Incidents and their public updates.")

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        ident_rate_count(scope="status_pages", ident=f"addr:{client_ident(request)}")
        return super().__call__(request, *args, **kwargs)

    def link(self) -> str:
        return reverse("status")

    def items(self) -> list[IncidentUpdate]:
        return list(
            IncidentUpdate.objects.filter(kind=IncidentUpdate.Kind.PUBLIC)
            .select_related("incident")
            .order_by("-created_at", "-id")[:50]
        )

    def item_title(self, item: IncidentUpdate) -> str:
        return f"{item.incident.title} — {item.get_state_display()}"

    def item_description(self, item: IncidentUpdate) -> str:
        return item.body

    def item_link(self, item: IncidentUpdate) -> str:
        return f"{reverse('status')}#incident-{item.incident_id}"

    def item_guid(self, item: IncidentUpdate) -> str:
        return f"incident-update-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: IncidentUpdate) -> Any:
        return item.created_at


class IncidentAtomFeed(IncidentFeed):
    feed_type = Atom1Feed
    subtitle = IncidentFeed.description
