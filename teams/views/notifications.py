"""The inbox: list, mark read (one or all, htmx), open, and e-mail preferences."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.pagination import keyset_page
from teams import selectors, services
from teams.forms import NotificationPreferencesForm
from teams.models import Notification
from teams.notification_kinds import NotificationKind
from teams.permissions import notification_get_for_user
from teams.push_keys import push_enabled, vapid_keys

PER_PAGE = 20


def _own(request: HttpRequest, pk: int) -> Notification:
    return notification_get_for_user(user=request.user, notification_id=pk)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = keyset_page(
        selectors.notification_list_for_user(user=request.user, unread_only=unread_only),
        per_page=PER_PAGE,
        cursor=request.GET.get("cursor"),
    )
    context = {"page": page, "unread_only": unread_only}
    htmx_inbox = request.headers.get("HX-Target") == "inbox"
    template = "teams/partials/notification_inbox.html" if htmx_inbox else "teams/notification_list.html"
    return render(request, template, context)


@login_required
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = services.notification_mark_read(notification=_own(request, pk))
    if request.headers.get("HX-Request"):
        context = {"notification": notification, "bell_oob": True}
        return render(request, "teams/partials/notification_item.html", context)
    return redirect("notification_list")


@login_required
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(user=request.user)
    if request.headers.get("HX-Request"):
        page = keyset_page(selectors.notification_list_for_user(user=request.user), per_page=PER_PAGE, cursor=None)
        context = {"page": page, "unread_only": False, "bell_oob": True}
        return render(request, "teams/partials/notification_inbox.html", context)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notification_list")


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    notification = services.notification_mark_read(notification=_own(request, pk))
    target = notification.target_url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect("notification_list")
    return redirect(target)


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    kinds = [(kind, NotificationKind(kind).label) for kind in services.emailable_kinds(user=request.user)]
    push_kinds = services.pushable_kinds(user=request.user)
    chosen = services.notification_channel_kinds_for(user=request.user)
    initial = {f"{channel}_kinds": sorted(chosen[channel]) for channel in services.CHANNELS}
    form = NotificationPreferencesForm(request.POST or None, kinds=kinds, push_kinds=push_kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_save(
            user=request.user,
            email_kinds=set(form.cleaned_data["email_kinds"]),
            in_app_kinds=set(form.cleaned_data["in_app_kinds"]),
            push_kinds=set(form.cleaned_data["push_kinds"]),
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notification_settings")
    selected = {channel: set(form[f"{channel}_kinds"].value() or []) for channel in services.CHANNELS}
    rows = [
        {
            "kind": kind,
            "label": label,
            "in_app": kind in selected["in_app"],
            "email": kind in selected["email"],
            "push": kind in selected["push"],
            "pushable": kind in push_kinds,
        }
        for kind, label in kinds
    ]
    context = {
        "form": form,
        "rows": rows,
        "push_enabled": push_enabled(),
        "vapid_public_key": vapid_keys().public_key if push_enabled() else "",
        "push_messages": {
            "unsupported": _(
                "This browser cannot show notifications from websites. You still get them in your inbox "
                "and by e-mail as chosen below."
            ),
            "blocked": _(
                "Notifications from this site are blocked in this browser. Allow them in the browser's "
                "site settings, then reload this page."
            ),
            "off": _("Browser notifications are off on this browser."),
            "on": _("Browser notifications are on for this browser."),
            "working": _("One moment…"),
            "failed": _("That did not work. Try again later."),
        },
    }
    return render(request, "teams/notification_settings.html", context)
