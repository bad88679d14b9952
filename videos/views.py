import functools
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from billing import limits
from config.errors import DomainError, NotFound, PermissionDenied
from config.pagination import capped_count, keyset_page
from teams.models import Team
from teams.permissions import Action, can_act_on_owned
from teams.workspaces import workspace_team_for_request
from videos.branding_views import branding_apply_form_for
from videos.forms import (
    TemplateFilterForm,
    VersionCompareForm,
    VideoCreateForm,
    VideoEditForm,
    VideoFilterForm,
    VideoTitleForm,
    VideoUploadForm,
)
from videos.models import Template, Video
from videos.permissions import version_get_for_user, video_get_for_user
from videos.preview_views import branding_choices
from videos.selectors import (
    account_for,
    template_get,
    template_is_locked,
    template_list,
    template_locked,
    version_compare,
    version_list_for_video,
    video_list_for_workspace,
)
from videos.services import (
    upload_size_check,
    version_restore,
    video_create_from_template,
    video_delete,
    video_edit,
    video_rerender,
    video_upload,
)
from videos.uploads import UploadSizeLimitHandler, install_upload_size_limit

TEMPLATES_PER_PAGE = 12
VIDEOS_PER_PAGE = 20


def upgrade_url() -> str:
    """Where the upgrade call to action points: the pricing page once billing provides it."""
    try:
        return reverse("pricing")
    except NoReverseMatch:
        return reverse("dashboard")


def _video(request: HttpRequest, pk: int, action: str = Action.VIEW) -> Video:
    return video_get_for_user(user=request.user, video_id=pk, action=action)


def _form_error(form: forms.Form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))


@login_required
def template_library(request: HttpRequest) -> HttpResponse:
    filters = TemplateFilterForm(request.GET or None)
    templates = template_list(**filters.filters())
    page = Paginator(templates, TEMPLATES_PER_PAGE).get_page(request.GET.get("page"))
    account = account_for(user=request.user, team=workspace_team_for_request(request))
    pro_allowed = limits.allows(account, limits.Limit.PRO_TEMPLATES)
    for template in page:
        template.locked = template_locked(template, pro_allowed=pro_allowed)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "videos/template_library.html",
        {
            "filters": filters,
            "page_obj": page,
            "pro_allowed": pro_allowed,
            "upgrade_url": upgrade_url(),
            "query": query.urlencode(),
        },
    )


def _install_plan_upload_limit(
    request: HttpRequest, *, team: Team | None, expects: Callable[[str], bool]
) -> UploadSizeLimitHandler | None:
    """Cap a POST's files at the workspace plan's upload size in all, and take only those `expects` names,
    while they arrive (None for other methods)."""
    if request.method != "POST":
        return None
    account = account_for(user=request.user, team=team)
    return install_upload_size_limit(
        request, limit_mb=lambda: limits.value(account, limits.Limit.UPLOAD_SIZE_MB), expects=expects
    )


def _slot_fields_of(slug: str) -> Callable[[str], bool]:
    """Whether a field name is one of the template's slot fields (`slot_<key>`); looked up once, when asked."""

    @functools.cache
    def fields() -> frozenset[str]:
        try:
            template = template_get(slug=slug)
        except NotFound:
            return frozenset()
        return frozenset(f"slot_{slot['key']}" for slot in template.scene_spec.get("slots", []))

    return lambda name: name in fields()


# As for the upload page: the size limit must be in place before CsrfViewMiddleware reads the body, so
# the middleware skips this view and the inner one makes the same check afterwards.
@csrf_exempt
@login_required
def template_use(request: HttpRequest, slug: str) -> HttpResponse:
    team = workspace_team_for_request(request)
    size_limit = _install_plan_upload_limit(request, team=team, expects=_slot_fields_of(slug))
    return _template_use(request, slug=slug, team=team, size_limit=size_limit)


@csrf_protect
def _template_use(
    request: HttpRequest, *, slug: str, team: Team | None, size_limit: UploadSizeLimitHandler | None
) -> HttpResponse:
    template = template_get(slug=slug)
    locked = template_is_locked(account=account_for(user=request.user, team=team), template=template)
    form = VideoCreateForm(
        request.POST or None,
        request.FILES or None,
        template=template,
        initial={"title": template.title},
        branding_profiles=branding_choices(user=request.user, team=team),
    )
    status = 402 if request.method == "POST" and locked else 200
    skipped = _skipped_slots(size_limit)
    if skipped:
        # A slot's file was dropped while it arrived: the same refusal, on that slot's field.
        account = account_for(user=request.user, team=team)
        for name, size in skipped.items():
            try:
                upload_size_check(account=account, size=size, field=name)
            except DomainError as exc:
                _form_error(form, exc)
    elif request.method == "POST" and not locked and form.is_valid():
        try:
            video = video_create_from_template(
                user=request.user,
                team=team,
                template=template,
                title=form.cleaned_data["title"],
                customization=form.customization(),
                slot_uploads=form.slot_uploads(),
            )
        except PermissionDenied:
            # A refusal is not a form mistake: the middleware answers 403 with its message.
            raise
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Your video is being rendered."))
            return redirect("videos:detail", pk=video.pk)
    return render(
        request,
        "videos/template_use.html",
        {
            "template": template,
            "form": form,
            "locked": locked,
            "upgrade_url": upgrade_url(),
            **_preview_context(template, form, reverse("videos:template_preview", args=[template.slug])),
        },
        status=status,
    )


def _skipped_slots(size_limit: UploadSizeLimitHandler | None) -> dict[str, int]:
    """The slot fields (`slot_<key>`) whose file the size limit dropped, with the bytes received."""
    if size_limit is None:
        return {}
    return {name: size for name, size in size_limit.skipped.items() if name.startswith("slot_")}


@login_required
def video_list(request: HttpRequest) -> HttpResponse:
    filters = VideoFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    team = workspace_team_for_request(request)
    videos = video_list_for_workspace(
        user=request.user, team=team, search=data.get("q", ""), status=data.get("status", "")
    )
    page = keyset_page(videos, per_page=VIDEOS_PER_PAGE, cursor=request.GET.get("cursor"))
    total, capped = capped_count(videos) if page.object_list else (0, False)
    query = request.GET.copy()
    query.pop("cursor", None)
    return render(
        request,
        "videos/video_list.html",
        {
            "filters": filters,
            "page_obj": page,
            "team": team,
            "query": query.urlencode(),
            "total": total,
            "capped": capped,
        },
    )


# The size limit must be in place before the body is read, and CsrfViewMiddleware reads it (POST) before
# any view runs: so the middleware skips this view and the inner one does the same check afterwards.
@csrf_exempt
@login_required
def video_upload_view(request: HttpRequest) -> HttpResponse:
    team = workspace_team_for_request(request)
    size_limit = _install_plan_upload_limit(request, team=team, expects=lambda name: name == "file")
    return _video_upload(request, team=team, size_limit=size_limit)


@csrf_protect
def _video_upload(
    request: HttpRequest, *, team: Team | None, size_limit: UploadSizeLimitHandler | None
) -> HttpResponse:
    form = VideoUploadForm(request.POST or None, request.FILES or None)
    if size_limit is not None and "file" in size_limit.skipped:
        # The file was dropped while it arrived: the same refusal the service gives for a too-large file.
        try:
            upload_size_check(account=account_for(user=request.user, team=team), size=size_limit.skipped["file"])
        except DomainError as exc:
            form.refuse_file(str(exc.message))
    elif request.method == "POST" and form.is_valid():
        try:
            video = video_upload(
                user=request.user,
                team=team,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Your video was uploaded."))
            return redirect("videos:detail", pk=video.pk)
    return render(request, "videos/video_upload.html", {"form": form})


def _detail_context(request: HttpRequest, video: Video) -> dict:
    latest = video.versions.order_by("-number").first()
    return {
        "video": video,
        "latest": latest,
        "can_edit": can_act_on_owned(
            user=request.user, owner_id=video.owner_id, team_id=video.team_id, action=Action.EDIT
        ),
        "can_delete": can_act_on_owned(
            user=request.user, owner_id=video.owner_id, team_id=video.team_id, action=Action.DELETE
        ),
        "busy": latest is not None and latest.status in ("queued", "rendering"),
        "brand_form": branding_apply_form_for(user=request.user, video=video),
    }


@login_required
def video_detail(request: HttpRequest, pk: int) -> HttpResponse:
    video = _video(request, pk)
    return render(request, "videos/video_detail.html", _detail_context(request, video))


@login_required
def video_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The status panel alone, polled by htmx while a render runs."""
    video = _video(request, pk)
    return render(request, "videos/_video_status.html", _detail_context(request, video))


@login_required
def video_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    video = _video(request, pk, Action.EDIT)
    form: VideoTitleForm | VideoEditForm
    if video.template is None:
        form = VideoTitleForm(request.POST or None, initial={"title": video.title})
    else:
        form = VideoEditForm(
            request.POST or None,
            template=video.template,
            initial_customization=video.customization,
            slots=False,
            initial={"title": video.title},
            branding_profiles=branding_choices(user=video.owner, team=video.team),
        )
    if request.method == "POST" and form.is_valid():
        try:
            video_edit(
                video=video,
                actor=request.user,
                title=form.cleaned_data["title"],
                customization=form.customization() if isinstance(form, VideoEditForm) else None,
                change_description=form.cleaned_data.get("change_description", ""),
            )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("videos:detail", pk=video.pk)
    context = {"video": video, "form": form}
    if isinstance(form, VideoEditForm):
        context |= _preview_context(video.template, form, reverse("videos:preview", args=[video.pk]), with_media=True)
    return render(request, "videos/video_edit.html", context)


def _preview_context(template: Template, form: forms.Form, url: str, *, with_media: bool = False) -> dict:
    """What the scene previews of a customization form need (videos/_scene_previews.html)."""
    width, height = template.aspect_ratio.split(":")
    return {
        "preview_url": url,
        "scene_numbers": range(form.scene_count),
        "aspect_css": f"{width} / {height}",
        "with_media": with_media,
    }


@login_required
@require_POST
def video_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    video = _video(request, pk, Action.DELETE)
    video_delete(video=video, actor=request.user)
    messages.success(request, _("The video and all its files were deleted."))
    return redirect("videos:list")


@login_required
@require_POST
def video_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    video = _video(request, pk, Action.EDIT)
    try:
        video_rerender(video=video, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("videos:detail", pk=video.pk)


@login_required
def version_history(request: HttpRequest, pk: int) -> HttpResponse:
    video = _video(request, pk)
    versions = version_list_for_video(video=video)
    page = keyset_page(versions, per_page=VIDEOS_PER_PAGE, cursor=request.GET.get("cursor"))
    compare_form = VersionCompareForm(request.GET if "a" in request.GET else None)
    comparison = None
    if compare_form.is_bound and compare_form.is_valid():
        try:
            comparison = version_compare(
                first=version_get_for_user(user=request.user, video_id=video.pk, number=compare_form.cleaned_data["a"]),
                second=version_get_for_user(
                    user=request.user, video_id=video.pk, number=compare_form.cleaned_data["b"]
                ),
            )
        except NotFound:
            compare_form.add_error(None, _("Choose two versions of this video."))
    return render(
        request,
        "videos/version_history.html",
        {
            "video": video,
            "page_obj": page,
            "compare_form": compare_form,
            "comparison": comparison,
            "can_edit": can_act_on_owned(
                user=request.user, owner_id=video.owner_id, team_id=video.team_id, action=Action.EDIT
            ),
        },
    )


@login_required
@require_POST
def version_restore_view(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    video = _video(request, pk, Action.EDIT)
    try:
        version = version_restore(video=video, actor=request.user, number=number)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("v%(old)d was restored as v%(new)d.") % {"old": number, "new": version.number})
    return redirect("videos:versions", pk=video.pk)
