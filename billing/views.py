import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from billing import limits, selectors
from billing.forms import CheckoutForm, CouponForm
from billing.models import Interval
from billing.permissions import payment_get_for_user
from billing.providers import provider_for
from billing.services.offers import coupon_redeem
from billing.services.subscriptions import checkout_start, subscription_cancel, subscription_resume
from billing.webhooks import InvalidWebhook, stripe_event_process, stripe_event_verify
from config.errors import DomainError
from teams.workspaces import workspace_team_for_request

logger = logging.getLogger(__name__)

PAYMENTS_PER_PAGE = 10


def pricing(request: HttpRequest) -> HttpResponse:
    """The public pricing page with a monthly/annual toggle."""
    interval = Interval.YEAR if request.GET.get("interval") == Interval.YEAR else Interval.MONTH
    plans = list(selectors.plan_list_public())
    current_code = limits.plan_code_for(request.user) if request.user.is_authenticated else None
    rows = []
    for plan in plans:
        monthly_equivalent = plan.annual_price_cents / 12 if interval == Interval.YEAR else plan.monthly_price_cents
        full_year = plan.monthly_price_cents * 12
        saving = round(100 - 100 * plan.annual_price_cents / full_year) if full_year else 0
        rows.append({"plan": plan, "per_month_cents": monthly_equivalent, "annual_saving": saving})
    return render(
        request,
        "billing/pricing.html",
        {"rows": rows, "interval": interval, "current_code": current_code, "intervals": Interval},
    )


@login_required
def billing(request: HttpRequest) -> HttpResponse:
    """The signed-in person's plan, next invoice, payment history and actions."""
    overview = selectors.billing_overview_for_user(user=request.user)
    page = Paginator(selectors.payment_list_for_user(user=request.user), PAYMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    provider = provider_for()
    subscription = overview.subscription
    team = workspace_team_for_request(request)
    return render(
        request,
        "billing/billing.html",
        {
            "overview": overview,
            "subscription": subscription,
            "page": page,
            "coupon_form": CouponForm(),
            "can_resume": bool(
                subscription and subscription.cancel_at_period_end and subscription.provider == provider.code
            ),
            "can_upgrade": selectors.upgrade_allowed(subscription=subscription, provider_code=provider.code),
            "has_portal": provider.has_portal,
            "upgrade_plans": selectors.plan_list_public().filter(is_default=False),
            "intervals": Interval,
            "checkout_done": request.GET.get("checkout") == "success",
            "team": team,
            "team_plan": limits.plan_for(team) if team else None,
        },
    )


@login_required
def payment_detail(request: HttpRequest, payment_id: int) -> HttpResponse:
    """A receipt for one of the person's payments; anyone else's is a 404."""
    payment = payment_get_for_user(user=request.user, payment_id=payment_id)
    return render(request, "billing/payment.html", {"payment": payment})


@login_required
@require_POST
def checkout(request: HttpRequest) -> HttpResponse:
    form = CheckoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a plan and how often to pay."))
        return redirect("pricing")
    success_url = request.build_absolute_uri(reverse("billing")) + "?checkout=success"
    cancel_url = request.build_absolute_uri(reverse("pricing"))
    try:
        url = checkout_start(
            user=request.user,
            plan=form.cleaned_data["plan"],
            interval=form.cleaned_data["interval"],
            success_url=success_url,
            cancel_url=cancel_url,
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("billing")
    # The manual provider has subscribed already and sends back to success_url; Stripe to Checkout.
    return redirect(url)


def _own_subscription_action(request: HttpRequest, action, success_message: str) -> HttpResponse:  # type: ignore[no-untyped-def]
    subscription = selectors.subscription_live_for_user(user=request.user)
    if subscription is None:
        messages.error(request, _("You have no subscription."))
        return redirect("billing")
    try:
        action(subscription=subscription, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success_message)
    return redirect("billing")


@login_required
@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    return _own_subscription_action(
        request, subscription_cancel, _("Your subscription will end at the end of the current period.")
    )


@login_required
@require_POST
def resume(request: HttpRequest) -> HttpResponse:
    return _own_subscription_action(request, subscription_resume, _("Your subscription will continue."))


@login_required
@require_POST
def portal(request: HttpRequest) -> HttpResponse:
    try:
        url = provider_for().portal_url(user=request.user, return_url=request.build_absolute_uri(reverse("billing")))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("billing")
    if not url:
        messages.error(request, _("Manage your subscription on this page."))
        return redirect("billing")
    return redirect(url)


@login_required
@require_POST
def coupon(request: HttpRequest) -> HttpResponse:
    form = CouponForm(request.POST)
    if form.is_valid():
        try:
            redemption = coupon_redeem(user=request.user, code=form.cleaned_data["code"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Coupon %(code)s applied.") % {"code": redemption.coupon.code})
    else:
        messages.error(request, _("Enter a coupon code."))
    return redirect("billing")


@csrf_exempt  # Stripe cannot send our CSRF token; the signature authenticates the request.
@require_POST
@transaction.non_atomic_requests
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Stripe's webhook endpoint: 400 for anything not signed by Stripe, 200 once processed."""
    try:
        event = stripe_event_verify(payload=request.body, signature=request.headers.get("Stripe-Signature"))
    except InvalidWebhook as error:
        logger.warning("Rejected a Stripe webhook: %s", error)
        return HttpResponseBadRequest("invalid signature")
    try:
        result = stripe_event_process(event=event)
    except DomainError as error:
        # The provider could not be reached while handling the event: Stripe retries later.
        logger.warning("Stripe event %s failed: %s", event["id"], error)
        return HttpResponse("retry later", status=503)
    return HttpResponse(result, content_type="text/plain")
