"""Pages for branding profiles (list, create, edit, delete, make default) and applying one to a video.

A module of their own beside views.py, which is near the size where the house splits modules.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from billing import limits
from config.errors import DomainError
from teams.models import User
from teams.permissions import Action, can_act_on_owned
from teams.workspaces import workspace_team_for_request
from videos.forms import BrandingApplyForm, BrandingProfileForm
from videos.models import BrandingProfile, Video
from videos.permissions import branding_can_edit_team, branding_profile_get_for_user, video_get_for_user
from videos.selectors import account_for, branding_profile_list_for_workspace
from videos.services import (
    branding_apply,
    branding_profile_create,
    branding_profile_delete,
    branding_profile_set_default,
    branding_profile_update,
)
from videos.services.branding import LOGO_MAX_MB, logo_too_large
from videos.uploads import UploadSizeLimitHandler, install_upload_size_limit


def _upgrade_url() -> str:
    from videos.views import upgrade_url

    return upgrade_url()


@login_required
def branding_list(request: HttpRequest) -> HttpResponse:
    team = workspace_team_for_request(request)
    account = account_for(user=request.user, team=team)
    return render(
        request,
        "videos/branding_list.html",
        {
            "profiles": branding_profile_list_for_workspace(user=request.user, team=team),
            "team": team,
            "can_edit": team is None or branding_can_edit_team(user=request.user, team=team),
            "allowed": limits.allows(account, limits.Limit.BRANDING),
            "upgrade_url": _upgrade_url(),
        },
    )


def _install_logo_limit(request: HttpRequest) -> UploadSizeLimitHandler | None:
    if request.method != "POST":
        return None
    return install_upload_size_limit(request, limit_mb=lambda: LOGO_MAX_MB, expects=lambda name: name == "logo")


# The logo's size limit must be in place before the body is read, and CsrfViewMiddleware reads it
# first: the middleware skips these views and the inner one does the same check afterwards.
@csrf_exempt
@login_required
def branding_create(request: HttpRequest) -> HttpResponse:
    return _branding_form(request, profile=None, size_limit=_install_logo_limit(request))


@csrf_exempt
@login_required
def branding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    profile = branding_profile_get_for_user(user=request.user, profile_id=pk, action=Action.EDIT)
    return _branding_form(request, profile=profile, size_limit=_install_logo_limit(request))


@csrf_protect
def _branding_form(
    request: HttpRequest, *, profile: BrandingProfile | None, size_limit: UploadSizeLimitHandler | None
) -> HttpResponse:
    initial = (
        {key: getattr(profile, key) for key in ("name", "position", "opacity", "scale", "margin", "is_default",
                                                 "apply_to_new_renders")}
        if profile is not None
        else {"position": BrandingProfile.Position.BOTTOM_RIGHT}
    )  # fmt: skip
    form = BrandingProfileForm(request.POST or None, request.FILES or None, new=profile is None, initial=initial)
    if size_limit is not None and "logo" in size_limit.skipped:
        form.refuse_logo(str(logo_too_large().message))
    elif request.method == "POST" and form.is_valid():
        logo = form.cleaned_data.get("logo")
        try:
            if profile is None:
                team = workspace_team_for_request(request)
                branding_profile_create(actor=request.user, team=team, logo=logo, **form.settings())
            else:
                branding_profile_update(profile=profile, actor=request.user, logo=logo or None, **form.settings())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("The branding profile was saved."))
            return redirect("videos:branding")
    return render(request, "videos/branding_form.html", {"form": form, "profile": profile})


@login_required
@require_POST
def branding_delete(request: HttpRequest, pk: int) -> HttpResponse:
    profile = branding_profile_get_for_user(user=request.user, profile_id=pk, action=Action.DELETE)
    branding_profile_delete(profile=profile, actor=request.user)
    messages.success(request, _("The branding profile was deleted."))
    return redirect("videos:branding")


@login_required
@require_POST
def branding_set_default(request: HttpRequest, pk: int) -> HttpResponse:
    profile = branding_profile_get_for_user(user=request.user, profile_id=pk, action=Action.EDIT)
    branding_profile_set_default(profile=profile, actor=request.user)
    messages.success(request, _("“%(name)s” is now the default branding.") % {"name": profile.name})
    return redirect("videos:branding")


@login_required
@require_POST
def branding_apply_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Apply a profile (chosen on the video's page) to the video, as a new version."""
    video = video_get_for_user(user=request.user, video_id=pk, action=Action.BRAND)
    form = BrandingApplyForm(
        request.POST, profiles=branding_profile_list_for_workspace(user=request.user, team=video.team)
    )
    if not form.is_valid():
        messages.error(request, _("Choose one of your branding profiles."))
        return redirect("videos:detail", pk=video.pk)
    profile = branding_profile_get_for_user(user=request.user, profile_id=form.cleaned_data["profile"].pk)
    try:
        version = branding_apply(video=video, profile=profile, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("The logo is being added as v%(number)d. Restore the previous version to undo it.")
            % {"number": version.number},
        )
    return redirect("videos:detail", pk=video.pk)


def branding_apply_form_for(*, user: User, video: Video) -> BrandingApplyForm | None:
    """The "apply branding" form for the video's page: when the user may brand it, the plan includes
    branding, and its workspace has profiles; else None."""
    if not can_act_on_owned(user=user, owner_id=video.owner_id, team_id=video.team_id, action=Action.BRAND):
        return None
    profiles = branding_profile_list_for_workspace(user=video.owner, team=video.team)
    if not profiles.exists() or not limits.allows(
        account_for(user=video.owner, team=video.team), limits.Limit.BRANDING
    ):
        return None
    return BrandingApplyForm(profiles=profiles, initial={"profile": profiles.filter(is_default=True).first()})
