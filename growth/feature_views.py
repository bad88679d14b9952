"""The public feature-request board: list, detail, create (with similar titles), votes and comments."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from growth.feature_models import FeatureRequest
from growth.feature_selectors import feature_request_board, feature_request_similar, feature_votes_of_user
from growth.forms import BoardFilterForm, FeatureCommentForm, FeatureRequestForm
from growth.limits import rate_allows
from growth.permissions import feature_comment_get_for_user, feature_request_get_for_user
from growth.services.features import (
    feature_comment_create,
    feature_comment_delete,
    feature_request_create,
    feature_vote_set,
)

PER_PAGE = 20


def board(request: HttpRequest) -> HttpResponse:
    """The public board, sorted by top voted, newest or trending; filtered and searchable."""
    form = BoardFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    requests = feature_request_board(
        sort=filters.get("sort") or "top",
        status=filters.get("status", ""),
        category=filters.get("category", ""),
        search=filters.get("q", ""),
    )
    page = Paginator(requests, PER_PAGE).get_page(request.GET.get("page"))
    my_votes = feature_votes_of_user(user=request.user, feature_requests=list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "growth/board.html",
        {
            "page": page,
            "form": form,
            "my_votes": my_votes,
            "query": query.urlencode(),
            "statuses": FeatureRequest.Status,
        },
    )


def detail(request: HttpRequest, feature_request_id: int) -> HttpResponse:
    feature_request = feature_request_get_for_user(user=request.user, feature_request_id=feature_request_id)
    comments = feature_request.comments.select_related("author")
    my_votes = feature_votes_of_user(user=request.user, feature_requests=[feature_request])
    return render(
        request,
        "growth/feature_detail.html",
        {
            "feature_request": feature_request,
            "comments": comments,
            "my_vote": my_votes.get(feature_request.pk, 0),
            "comment_form": FeatureCommentForm(),
        },
    )


@login_required
def create(request: HttpRequest) -> HttpResponse:
    form = FeatureRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            feature_request = feature_request_create(author=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("Thank you! Your request is on the board."))
            return redirect("growth:feature_detail", feature_request.pk)
    return render(request, "growth/feature_new.html", {"form": form})


def similar(request: HttpRequest) -> HttpResponse:
    """The htmx partial under the title field: existing requests like the title being typed."""
    # Typed into by anyone, so counted per client: past the rate it quietly suggests nothing.
    client = (
        request.user.pk
        if request.user.is_authenticated
        else request.session.session_key or request.META.get("REMOTE_ADDR", "")
    )
    allowed = rate_allows(scope="feature_similar", key=client)
    matches = feature_request_similar(title=request.GET.get("title", "")) if allowed else []
    return render(request, "growth/_similar.html", {"matches": matches})


@login_required
@require_POST
def vote(request: HttpRequest, feature_request_id: int) -> HttpResponse:
    feature_request = feature_request_get_for_user(
        user=request.user, feature_request_id=feature_request_id, action="vote"
    )
    try:
        value = int(request.POST.get("value", ""))
    except ValueError:
        value = 99  # refused by the service
    feature_request = feature_vote_set(feature_request=feature_request, user=request.user, value=value)
    if request.headers.get("HX-Request"):
        my_vote = feature_votes_of_user(user=request.user, feature_requests=[feature_request]).get(
            feature_request.pk, 0
        )
        return render(request, "growth/_votes.html", {"fr": feature_request, "my_vote": my_vote})
    return _safe_next(request, feature_request.pk)


def _safe_next(request: HttpRequest, pk: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("growth:feature_detail", pk)


@login_required
@require_POST
def comment(request: HttpRequest, feature_request_id: int) -> HttpResponse:
    feature_request = feature_request_get_for_user(
        user=request.user, feature_request_id=feature_request_id, action="comment"
    )
    form = FeatureCommentForm(request.POST)
    if form.is_valid():
        try:
            feature_comment_create(feature_request=feature_request, author=request.user, body=form.cleaned_data["body"])
        except DomainError as error:
            messages.error(request, str(error.message))
    else:
        messages.error(request, _("Write a comment."))
    return redirect("growth:feature_detail", feature_request.pk)


@login_required
@require_POST
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = feature_comment_get_for_user(user=request.user, comment_id=comment_id)
    feature_request_id = comment.feature_request_id
    feature_comment_delete(comment=comment)
    return redirect("growth:feature_detail", feature_request_id)
