"""Preview features: their waitlists, and the pages of the features switched on for the account."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from growth.permissions import preview_feature_get_for_user
from growth.services.waitlist import waitlist_join, waitlist_leave
from growth.waitlist_selectors import REFERRAL_BOOST_DAYS, preview_features_for_user


@login_required
def waitlists(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "growth/waitlists.html",
        {"rows": preview_features_for_user(user=request.user), "boost_days": REFERRAL_BOOST_DAYS},
    )


@login_required
@require_POST
def join(request: HttpRequest, key: str) -> HttpResponse:
    feature = preview_feature_get_for_user(user=request.user, key=key, action="join")
    waitlist_join(feature=feature, user=request.user)
    messages.success(request, _("You joined the waitlist."))
    return redirect("growth:waitlists")


@login_required
@require_POST
def leave(request: HttpRequest, key: str) -> HttpResponse:
    feature = preview_feature_get_for_user(user=request.user, key=key, action="join")
    waitlist_leave(feature=feature, user=request.user)
    messages.success(request, _("You left the waitlist."))
    return redirect("growth:waitlists")


@login_required
def preview(request: HttpRequest, key: str) -> HttpResponse:
    """A preview feature's page: a 404 unless the feature is switched on for the account."""
    feature = preview_feature_get_for_user(user=request.user, key=key, action="use")
    return render(request, "growth/preview.html", {"feature": feature})
