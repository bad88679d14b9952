from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from config.errors import DomainError
from teams.forms import ApiTokenForm, PreferencesForm
from teams.models import ApiTokenLabel
from teams.permissions import api_token_get_for_user
from teams.selectors import api_token_list_for_user
from teams.services import api_token_create, api_token_revoke, user_update_preferences


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; signed-in people keep it as their saved preference."""
    language = request.POST.get("language", "")
    if not check_for_language(language) or language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Unknown language."))
    if request.user.is_authenticated:
        user_update_preferences(user=request.user, language=language)
    return set_language(request)


def _settings_page(
    request: HttpRequest,
    *,
    form: PreferencesForm | None = None,
    token_form: ApiTokenForm | None = None,
    new_token: ApiTokenLabel | None = None,
    new_key: str = "",
    status: int = 200,
) -> HttpResponse:
    if form is None:
        # Bound to a copy of the values, not to request.user: the service compares old and new.
        form = PreferencesForm(
            initial={
                "display_name": request.user.display_name,
                "language": request.user.language,
                "time_zone": request.user.time_zone,
            }
        )
    context = {
        "form": form,
        "token_form": token_form or ApiTokenForm(),
        "tokens": api_token_list_for_user(user=request.user),
        "new_token": new_token,
        "new_key": new_key,
    }
    return render(request, "teams/settings.html", context, status=status)


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _settings_page(request)
    form = PreferencesForm(request.POST)
    if form.is_valid():
        user_update_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your settings were saved."))
        return redirect("account_settings")
    return _settings_page(request, form=form)


@login_required
@require_POST
def api_token_create_page(request: HttpRequest) -> HttpResponse:
    token_form = ApiTokenForm(request.POST)
    if token_form.is_valid():
        try:
            token, key = api_token_create(
                user=request.user,
                name=token_form.cleaned_data["name"],
                lifetime_days=token_form.cleaned_data["expires_in_days"],
            )
        except DomainError as exc:
            # Shown inside the form so the person can correct it; the status still says why (400, 429).
            token_form.add_error(exc.field if exc.field in token_form.fields else None, str(exc.message))
            return _settings_page(request, token_form=token_form, status=exc.status_code)
        else:
            # Rendered, not redirected: the key exists only in this answer (no session, no message
            # store keeps it), so it cannot be shown again.
            return _settings_page(request, new_token=token, new_key=key)
    return _settings_page(request, token_form=token_form, status=400)


@login_required
@require_POST
def api_token_revoke_page(request: HttpRequest, pk: int) -> HttpResponse:
    token = api_token_get_for_user(user=request.user, token_id=pk)
    api_token_revoke(token=token)
    messages.success(request, _("The API token %(name)s was revoked.") % {"name": token})
    return redirect("account_settings")
