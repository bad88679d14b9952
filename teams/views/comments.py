"""The comments panel on a video's page: one htmx fragment that lists threads and takes actions.

Every action answers with the whole panel body re-rendered, so the list, the counts and the
"hide resolved" filter stay consistent without a page reload. Without htmx the same URLs
redirect back to the video page.
"""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from config.errors import DomainError
from config.pagination import capped_count, keyset_page
from teams import selectors, services
from teams.comment_targets import CommentTarget
from teams.forms import CommentForm
from teams.mentions import handle_for
from teams.models import Comment
from teams.permissions import Action, can_act_on_owned, comment_get_for_user, comment_target_get_for_user

THREADS_PER_PAGE = 20


def _video(request: HttpRequest, video_id: int, action: str = Action.VIEW) -> CommentTarget:
    return comment_target_get_for_user(user=request.user, target_id=video_id, action=action)


def _hide_resolved(request: HttpRequest) -> bool:
    return (request.POST.get("hide_resolved") or request.GET.get("hide_resolved")) == "1"


def _panel(
    request: HttpRequest, video: CommentTarget, *, form: CommentForm | None = None, error: str = ""
) -> HttpResponse:
    hide_resolved = _hide_resolved(request)
    threads = selectors.comment_list_for_video(video=video, resolved=False if hide_resolved else None)
    # By cursor, with a capped count: a busy video has thousands of threads.
    page = keyset_page(threads, per_page=THREADS_PER_PAGE, cursor=request.GET.get("cursor"))
    total, capped = capped_count(threads) if page.object_list or page.has_other_pages else (0, False)
    user = request.user
    context = {
        "video": video,
        "page": page,
        "total": total,
        "capped": capped,
        "form": form or CommentForm(),
        "error": error,
        "hide_resolved": hide_resolved,
        "can_comment": can_act_on_owned(
            user=user, owner_id=video.owner_id, team_id=video.team_id, action=Action.COMMENT
        ),
        "is_moderator": can_act_on_owned(
            user=user, owner_id=video.owner_id, team_id=video.team_id, action=Action.MODERATE
        ),
    }
    return render(request, "teams/comments/_body.html", context)


def _done(request: HttpRequest, video: CommentTarget, **kwargs: object) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return _panel(request, video, **kwargs)
    return redirect(reverse("videos:detail", args=[video.pk]) + "#comments")


@login_required
def comment_panel(request: HttpRequest, video_id: int) -> HttpResponse:
    """GET: the panel body; POST: add a comment or a reply."""
    video = _video(request, video_id, Action.COMMENT if request.method == "POST" else Action.VIEW)
    if request.method != "POST":
        return _panel(request, video)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_create(
                video=video,
                author=request.user,
                body=form.cleaned_data["body"],
                timestamp_seconds=form.cleaned_data["timestamp_seconds"],
                parent_id=form.cleaned_data["parent"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            return _done(request, video)
    if not request.headers.get("HX-Request"):
        return redirect(reverse("videos:detail", args=[video.pk]) + "#comments")
    # htmx swaps only successful responses, so form errors come back with 200 like a re-rendered form.
    if request.POST.get("parent"):
        # A reply's errors show above the list; the main form stays as it was.
        return _panel(request, video, error=" ".join(m for errors in form.errors.values() for m in errors))
    return _panel(request, video, form=form)


def _comment_action(request: HttpRequest, pk: int, action: str, service: Callable[[Comment], object]) -> HttpResponse:
    comment = comment_get_for_user(user=request.user, comment_id=pk, action=action)
    video = comment.video
    try:
        service(comment)
    except DomainError as exc:
        return _done(request, video, error=str(exc.message))
    return _done(request, video)


@login_required
@require_POST
def comment_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _comment_action(
        request, pk, Action.COMMENT, lambda comment: services.comment_resolve(comment=comment, actor=request.user)
    )


@login_required
@require_POST
def comment_unresolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _comment_action(
        request, pk, Action.COMMENT, lambda comment: services.comment_unresolve(comment=comment, actor=request.user)
    )


@login_required
@require_POST
def comment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _comment_action(request, pk, Action.DELETE, lambda comment: services.comment_delete(comment=comment))


@login_required
@require_GET
def comment_mention_suggestions(request: HttpRequest, video_id: int) -> JsonResponse:
    """Members who can be mentioned on this video and match `q`, for the `@` autocomplete."""
    video = _video(request, video_id)
    people = selectors.comment_mention_search(video=video, query=request.GET.get("q", ""))
    return JsonResponse({"results": [{"name": user.name, "insert": handle_for(user)} for user in people]})
