"""The live preview of a template's scenes, asked for by htmx as the creator edits the form.

Each scene's figure asks for its own frame (debounced), with the form's texts, colours, duration
and logo but never its files; the answer is a fragment with the frame inline, or the reason it
cannot be drawn.
"""

import base64

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from billing import limits
from config.errors import DomainError, NotFound, PermissionDenied
from teams.models import Team, User
from teams.permissions import Action
from teams.workspaces import workspace_team_for_request
from videos.forms import CustomizationForm
from videos.models import Template, Video
from videos.permissions import video_get_for_user
from videos.render.ffmpeg import RenderError
from videos.selectors import account_for, branding_profile_list_for_workspace, template_get
from videos.services.previews import preview_scene


def branding_choices(*, user: User, team: Team | None) -> object:
    """The profiles a creator may pick as a video's logo in a workspace; None when its plan has no branding."""
    if not limits.allows(account_for(user=user, team=team), limits.Limit.BRANDING):
        return None
    return branding_profile_list_for_workspace(user=user, team=team)


def _scene(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("scene", ""))
    except ValueError:
        raise NotFound() from None


def _answer(
    request: HttpRequest, form: CustomizationForm, *, template: Template, team: Team | None, video: Video | None
) -> HttpResponse:
    scene = _scene(request)
    context: dict = {"scene": scene + 1}
    if not form.is_valid():
        context["errors"] = [error for errors in form.errors.values() for error in errors]
        return render(request, "videos/_scene_preview.html", context)
    try:
        preview = preview_scene(
            user=request.user,
            template=template,
            customization=form.customization(),
            scene=scene,
            video=video,
            team=team,
        )
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        # A customization the render would refuse, or too many frames lately: said where the frame goes.
        context["errors"] = [exc.message]
    except RenderError:
        context["errors"] = [_("This scene cannot be previewed right now. The video will still be rendered.")]
    else:
        context.update(
            image=base64.b64encode(preview.jpeg).decode(),
            width=preview.width,
            height=preview.height,
        )
    response = render(request, "videos/_scene_preview.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def template_preview(request: HttpRequest, slug: str) -> HttpResponse:
    team = workspace_team_for_request(request)
    template = template_get(slug=slug)
    form = CustomizationForm(
        request.GET, template=template, branding_profiles=branding_choices(user=request.user, team=team)
    )
    return _answer(request, form, template=template, team=team, video=None)


@login_required
@require_GET
def video_preview(request: HttpRequest, pk: int) -> HttpResponse:
    video = video_get_for_user(user=request.user, video_id=pk, action=Action.EDIT)
    if video.template is None:
        raise NotFound()
    form = CustomizationForm(
        request.GET,
        template=video.template,
        initial_customization=video.customization,
        slots=False,
        branding_profiles=branding_choices(user=video.owner, team=video.team),
    )
    return _answer(request, form, template=video.template, team=video.team, video=video)
