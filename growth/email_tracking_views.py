"""What a marketing e-mail's links lead to: the open pixel, tracked clicks, one-click unsubscribe,
and the page where a person chooses the categories they get.

The links are signed (growth.email_links); a tampered one is a 404 and nothing is recorded.
"""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from growth.campaign_models import EmailCategory
from growth.campaign_selectors import email_categories_for
from growth.email_links import BadLink, click_token_read, open_token_read, unsubscribe_token_read
from growth.forms import EmailPreferencesForm
from growth.services.campaigns import (
    campaign_send_clicked,
    campaign_send_opened,
    email_preferences_save,
    email_unsubscribe,
)
from teams.models import User

# A transparent 1 by 1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


@never_cache
def email_open(request: HttpRequest, token: str) -> HttpResponse:
    try:
        send_id = open_token_read(token)
    except BadLink as exc:
        raise Http404 from exc
    campaign_send_opened(send_id=send_id)
    return HttpResponse(PIXEL, content_type="image/gif")


@never_cache
def email_click(request: HttpRequest, token: str) -> HttpResponse:
    try:
        click = click_token_read(token)
    except BadLink as exc:
        raise Http404 from exc
    if click.send_id is not None:
        campaign_send_clicked(send_id=click.send_id, target=click.target)
    # The target was signed by us and is on our host or the allow-list (checked by click_token_read).
    return HttpResponseRedirect(click.target)


# Mail clients send the RFC 8058 one-click POST without a cookie or CSRF token: the signed link is
# the credential. A GET (a person clicking, or a scanner prefetching) only shows the button.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def email_unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = unsubscribe_token_read(token)
    except BadLink as exc:
        raise Http404 from exc
    user = User.objects.filter(pk=link.user_id).first()
    if user is None or link.category not in EmailCategory.values:
        raise Http404
    done = False
    if request.method == "POST":
        email_unsubscribe(user=user, category=link.category, send_id=link.send_id)
        done = True
    return render(
        request,
        "growth/email_unsubscribe.html",
        {"category": EmailCategory(link.category).label, "done": done, "email": user.email},
    )


@login_required
def email_preferences(request: HttpRequest) -> HttpResponse:
    initial = {"categories": sorted(email_categories_for(user=request.user))}
    form = EmailPreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        email_preferences_save(user=request.user, categories=set(form.cleaned_data["categories"]))
        messages.success(request, _("Your e-mail preferences were saved."))
        return redirect("growth:email_preferences")
    return render(request, "growth/email_preferences.html", {"form": form})
