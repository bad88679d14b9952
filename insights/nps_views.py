"""The NPS survey in the app: a small prompt loaded into every page (htmx), the answer page that
e-mail links open, and dismissing the prompt."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.errors import DomainError
from insights.forms import NpsAnswerForm
from insights.nps_models import NpsChannel
from insights.nps_selectors import nps_is_due, nps_open_ask
from insights.services.nps import nps_answer, nps_dismiss


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return ""


@login_required
@require_GET
def nps_prompt(request: HttpRequest) -> HttpResponse:
    """The prompt's panel when the person is due a survey, else nothing (htmx swaps it in)."""
    if not nps_is_due(user=request.user):
        return HttpResponse("")
    form = NpsAnswerForm()
    return render(request, "insights/includes/nps_prompt.html", {"form": form, "next": _next_url(request)})


@login_required
def nps_answer_page(request: HttpRequest) -> HttpResponse:
    """The survey as a page: e-mail links land here with their score chosen; the prompt posts here."""
    initial = {"score": request.GET.get("score")} if request.GET.get("score", "").isdigit() else {}
    form = NpsAnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        open_ask = nps_open_ask(user=request.user)
        by_email = open_ask is not None and open_ask.asked_by == NpsChannel.EMAIL
        source = NpsChannel.EMAIL if by_email else NpsChannel.IN_APP
        try:
            nps_answer(
                user=request.user,
                score=form.cleaned_data["score"],
                feedback=form.cleaned_data["feedback"],
                channel=source,
            )
        except DomainError as exc:
            if exc.code != "already_answered":
                raise
            messages.info(request, str(exc.message))
        else:
            messages.success(request, _("Thank you for your answer!"))
        return redirect(_next_url(request) or "dashboard")
    answerable = nps_is_due(user=request.user) or nps_open_ask(user=request.user) is not None
    return render(
        request,
        "insights/nps_answer.html",
        {"form": form, "answerable": answerable, "next": _next_url(request)},
    )


@login_required
@require_POST
def nps_dismiss_view(request: HttpRequest) -> HttpResponse:
    """Close the prompt: counts as asked for this period. htmx gets an empty answer (the panel goes)."""
    nps_dismiss(user=request.user)
    if request.headers.get("HX-Request"):
        return HttpResponse("")
    return redirect(_next_url(request) or "dashboard")
