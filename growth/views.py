from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from growth.assignment import experiment_variant
from growth.onboarding import ONBOARDING_EXPERIMENT, onboarding_steps
from growth.services.onboarding import onboarding_complete


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    return render(request, "growth/landing.html")


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request: HttpRequest) -> HttpResponse:
    """The short tour after signup; its length is the onboarding experiment's variant."""
    steps = onboarding_steps(experiment_variant(request, ONBOARDING_EXPERIMENT))
    if request.method == "POST":
        onboarding_complete(user=request.user, steps=len(steps))
        return redirect("videos:templates")
    try:
        number = min(max(int(request.GET.get("step", "1")), 1), len(steps))
    except ValueError:
        number = 1
    return render(
        request,
        "growth/onboarding.html",
        {
            "steps": steps,
            "step": steps[number - 1],
            "number": number,
            "total": len(steps),
            "last": number == len(steps),
        },
    )
