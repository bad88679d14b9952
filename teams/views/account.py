from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from rest_framework.authtoken.models import Token

from teams.forms import PreferencesForm
from teams.services import api_token_rotate, user_update_preferences


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; signed-in people keep it as their saved preference."""
    language = request.POST.get("language", "")
    if not check_for_language(language) or language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Unknown language."))
    if request.user.is_authenticated:
        user_update_preferences(user=request.user, language=language)
    return set_language(request)


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    # Bound to a copy of the values, not to request.user: the service compares old and new.
    initial = {
        "display_name": request.user.display_name,
        "language": request.user.language,
        "time_zone": request.user.time_zone,
    }
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user_update_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your settings were saved."))
        return redirect("account_settings")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "teams/settings.html", {"form": form, "token": token})


@login_required
@require_POST
def api_token_reset(request: HttpRequest) -> HttpResponse:
    api_token_rotate(user=request.user)
    messages.success(request, _("A new API token was created. The old one no longer works."))
    return redirect("account_settings")
