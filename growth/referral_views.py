"""The share link and the referrer's page."""

import secrets
from urllib.parse import quote

from allauth.account.adapter import get_adapter as get_account_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from growth import codes
from growth.forms import ReferralApplyForm
from growth.referral_models import Referral, ReferralCode
from growth.referral_selectors import referral_list_for_user, referral_stats_for_user
from growth.services.referrals import referral_apply, referral_code_get_or_create, referral_visit_record


def referral_share_url(code: ReferralCode) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("growth:referral_link", args=[code.code])


def share_links(url: str) -> list[tuple[str, str]]:
    """Plain share links (no third-party scripts): e-mail, X, Facebook, WhatsApp."""
    text = _(
        "I make my videos with Video Creator. Sign up with my link and get %(percent)d%% off your first month of Pro:"
    ) % {"percent": settings.GROWTH_REFERRAL_PERCENT_OFF}
    return [
        ("email", f"mailto:?subject={quote(_('Try Video Creator'))}&body={quote(text + ' ' + url)}"),
        ("x", f"https://x.com/intent/post?text={quote(text)}&url={quote(url)}"),
        ("facebook", f"https://www.facebook.com/sharer/sharer.php?u={quote(url)}"),
        ("whatsapp", f"https://wa.me/?text={quote(text + ' ' + url)}"),
    ]


def _client_address(request: HttpRequest) -> str:
    # allauth's reading of the client address honours TRUSTED_PROXY_COUNT, like every other limit.
    try:
        return get_account_adapter().get_client_ip(request)
    except DjangoPermissionDenied:
        return ""


def referral_link(request: HttpRequest, code: str) -> HttpResponse:
    """A share link: count the visit (once per browser, never bots) and keep the code until signup."""
    user_agent = request.headers.get("User-Agent", "")
    clean = codes.referral_code_clean(code)
    known = ReferralCode.objects.filter(code=clean).exists()
    response = redirect("landing" if request.user.is_authenticated or not known else "account_signup")
    if not known or codes.is_bot(user_agent):
        # Crawlers and link previews get the redirect only: nothing counted, no session row or cookie.
        return response
    visitor_id = request.COOKIES.get(codes.VISITOR_COOKIE) or secrets.token_urlsafe(16)
    referral_visit_record(
        code=clean,
        visitor_id=visitor_id,
        user_agent=user_agent,
        user=request.user,
        client_address=_client_address(request),
    )
    cookie = {"httponly": True, "samesite": "Lax", "secure": request.is_secure()}
    response.set_cookie(codes.VISITOR_COOKIE, visitor_id, max_age=codes.VISITOR_COOKIE_MAX_AGE, **cookie)
    if not request.user.is_authenticated:
        request.session[codes.REFERRAL_SESSION_KEY] = clean
        response.set_signed_cookie(
            codes.REFERRAL_COOKIE,
            clean,
            salt=codes.REFERRAL_COOKIE_SALT,
            max_age=codes.REFERRAL_COOKIE_MAX_AGE,
            **cookie,
        )
    return response


@login_required
def referrals(request: HttpRequest) -> HttpResponse:
    """The referrer's page: code, share buttons, clicks, signups, paid conversions, rewards."""
    code = referral_code_get_or_create(user=request.user)
    url = referral_share_url(code)
    own_referral = Referral.objects.filter(referee=request.user).select_related("referrer").first()
    return render(
        request,
        "growth/referrals.html",
        {
            "code": code,
            "share_url": url,
            "share_links": share_links(url),
            "stats": referral_stats_for_user(user=request.user),
            "referred": referral_list_for_user(user=request.user)[:50],
            "own_referral": own_referral,
            "apply_form": ReferralApplyForm(),
            "percent_off": settings.GROWTH_REFERRAL_PERCENT_OFF,
        },
    )


@login_required
@require_POST
def referral_apply_view(request: HttpRequest) -> HttpResponse:
    form = ReferralApplyForm(request.POST)
    if form.is_valid():
        try:
            referral_apply(referee=request.user, code=form.cleaned_data["code"])
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Your referral code is applied: your first invoice is discounted."))
    return redirect("growth:referrals")
