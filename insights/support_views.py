"""The support inbox for the person: the form (reachable from every page), their requests and each thread."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from config.errors import DomainError
from config.pagination import keyset_page
from insights.forms import SupportReplyForm, SupportRequestForm
from insights.permissions import support_request_get_for_user
from insights.services.support import (
    SCREENSHOT_MAX_MB,
    screenshot_too_large,
    support_reply_from_user,
    support_request_create,
)
from insights.support_selectors import support_request_list_for_user, support_thread
from videos.uploads import UploadSizeLimitHandler, install_upload_size_limit

PER_PAGE = 20
FIELD_OF = {"message": "message", "screenshot": "screenshot", "category": "category", "subject": "subject"}


# The screenshot's size limit must be in place before the body is read, and CsrfViewMiddleware reads
# it first: the middleware skips this view and the inner one does the same check afterwards.
@csrf_exempt
@login_required
def support_new(request: HttpRequest) -> HttpResponse:
    size_limit = None
    if request.method == "POST":
        size_limit = install_upload_size_limit(
            request, limit_mb=lambda: SCREENSHOT_MAX_MB, expects=lambda name: name == "screenshot"
        )
    return _support_form(request, size_limit=size_limit)


@csrf_protect
def _support_form(request: HttpRequest, *, size_limit: UploadSizeLimitHandler | None) -> HttpResponse:
    initial = {"page_url": request.GET.get("from", "")}
    form = SupportRequestForm(request.POST or None, request.FILES or None, initial=initial)
    if size_limit is not None and "screenshot" in size_limit.skipped:
        form.is_valid()
        form.refuse_screenshot(str(screenshot_too_large().message))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            support_request = support_request_create(
                user=request.user,
                category=data["category"],
                subject=data["subject"],
                message=data["message"],
                screenshot=data.get("screenshot") or None,
                page_url=data.get("page_url") or "",
            )
        except DomainError as exc:
            if exc.status_code != 400:
                raise
            form.add_error(FIELD_OF.get(exc.field or ""), str(exc.message))
        else:
            messages.success(request, _("Thank you: your request was sent. We answer by e-mail and on this page."))
            return redirect("support-detail", support_request.pk)
    return render(request, "insights/support_new.html", {"form": form})


@login_required
def support_list(request: HttpRequest) -> HttpResponse:
    page = keyset_page(
        support_request_list_for_user(user=request.user), per_page=PER_PAGE, cursor=request.GET.get("cursor")
    )
    return render(request, "insights/support_list.html", {"page": page})


@login_required
def support_detail(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = support_request_get_for_user(user=request.user, request_id=pk)
    form = SupportReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            support_reply_from_user(request=support_request, user=request.user, body=form.cleaned_data["body"])
        except DomainError as exc:
            if exc.status_code != 400:
                raise
            form.add_error("body", str(exc.message))
        else:
            messages.success(request, _("Your reply was added."))
            return redirect("support-detail", support_request.pk)
    return render(
        request,
        "insights/support_detail.html",
        {"support_request": support_request, "thread": support_thread(request=support_request), "form": form},
    )
