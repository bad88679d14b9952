"""Pages of bulk jobs: "Make many" from a template's page, the preview with each row's errors, the
progress (polled by htmx), cancel, retry, results CSV and an export of every video as a ZIP."""

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from billing import limits
from config.errors import DomainError, NotFound, PermissionDenied
from teams.models import Team
from teams.workspaces import workspace_team_for_request
from videos import bulk_sheets
from videos.forms import BulkSheetForm, BulkStartForm
from videos.models import BulkJob, BulkRow, MediaAsset
from videos.permissions import bulk_job_get_for_user
from videos.selectors import account_for, template_get
from videos.services.bulk import (
    bulk_job_cancel,
    bulk_job_export,
    bulk_job_prepare,
    bulk_job_retry_failed,
    bulk_job_start,
    bulk_results_csv,
    bulk_row_errors,
)
from videos.uploads import UploadSizeLimitHandler, install_upload_size_limit

JOBS_PER_PAGE = 20
ROWS_PER_PAGE = 50


def _expects(name: str) -> bool:
    return name == "sheet" or name.startswith("media_")


# As for the template page: the size limit must be in place before CsrfViewMiddleware reads the
# body, so the middleware skips this view and the inner one makes the same check afterwards.
@csrf_exempt
@login_required
def bulk_new(request: HttpRequest, slug: str) -> HttpResponse:
    team = workspace_team_for_request(request)
    size_limit = None
    if request.method == "POST":
        account = account_for(user=request.user, team=team)
        size_limit = install_upload_size_limit(
            request, limit_mb=lambda: limits.value(account, limits.Limit.UPLOAD_SIZE_MB), expects=_expects
        )
    return _bulk_new(request, slug=slug, team=team, size_limit=size_limit)


@csrf_protect
def _bulk_new(
    request: HttpRequest, *, slug: str, team: Team | None, size_limit: UploadSizeLimitHandler | None
) -> HttpResponse:
    template = template_get(slug=slug)
    form = BulkSheetForm(request.POST or None, request.FILES or None)
    if size_limit is not None and size_limit.skipped:
        form.is_valid()
        form.add_error(None, _("The files together are larger than your plan's upload size."))
    elif request.method == "POST" and form.is_valid():
        try:
            job = _prepare(request, form=form, team=team, template=template)
        except (NotFound, PermissionDenied):
            raise  # not a form mistake: the middleware answers with its page
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            return redirect("videos:bulk_detail", pk=job.pk)
    stored_media = MediaAsset.objects.filter(owner=request.user).order_by("-created_at")[:20]
    return render(
        request,
        "videos/bulk_new.html",
        {
            "template": template,
            "form": form,
            "columns": bulk_sheets.columns_for(template),
            "stored_media": stored_media,
            "rows_limit": limits.value(account_for(user=request.user, team=team), limits.Limit.BULK_ROWS_PER_JOB),
        },
    )


def _prepare(request: HttpRequest, *, form: BulkSheetForm, team: Team | None, template: Any) -> BulkJob:
    sheet = form.cleaned_data.get("sheet")
    if sheet:
        rows = bulk_sheets.read_sheet(name=sheet.name or "", handle=sheet)
        source = sheet.name or ""
    else:
        rows = bulk_sheets.read_csv_text(form.cleaned_data["pasted"])
        source = _("Pasted rows")
    return bulk_job_prepare(
        user=request.user,
        team=team,
        template=template,
        rows=rows,
        source_name=source,
        quality=form.cleaned_data["quality"],
        media_uploads=form.media_uploads(),
    )


@login_required
def bulk_columns(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """The sheet to fill in for a template, as CSV or XLSX."""
    template = template_get(slug=slug)
    if kind == "xlsx":
        response = HttpResponse(
            bulk_sheets.column_template_xlsx(template),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        # With a byte order mark, so Excel opens UTF-8 text as UTF-8.
        response = HttpResponse("\ufeff" + bulk_sheets.column_template_csv(template), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{template.slug}-sheet.{kind}"'
    return response


@login_required
def bulk_list(request: HttpRequest) -> HttpResponse:
    jobs = BulkJob.objects.filter(owner=request.user).select_related("template").order_by("-created_at", "-pk")
    page = Paginator(jobs, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "videos/bulk_list.html", {"page_obj": page, "query": ""})


def _rows_page(request: HttpRequest, job: BulkJob) -> Any:
    rows = job.rows.select_related("video").order_by("number")
    if request.GET.get("errors") == "1":
        rows = rows.filter(status__in=[BulkRow.Status.INVALID, BulkRow.Status.SKIPPED, BulkRow.Status.FAILED])
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    for row in page:
        row.error_list = bulk_row_errors(row)
    return page


def _context(request: HttpRequest, job: BulkJob) -> dict[str, Any]:
    return {"job": job, "columns": bulk_sheets.columns_for(job.template)}


@login_required
def bulk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = bulk_job_get_for_user(user=request.user, job_id=pk)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **_context(request, job),
        "page_obj": _rows_page(request, job),
        "query": query.urlencode(),
        "start_form": BulkStartForm(),
    }
    return render(request, "videos/bulk_detail.html", context)


@login_required
def bulk_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel alone, polled by htmx while the job runs."""
    job = bulk_job_get_for_user(user=request.user, job_id=pk)
    return render(request, "videos/_bulk_status.html", _context(request, job))


def _act(request: HttpRequest, pk: int, action: Any, done: str) -> HttpResponse:
    job = bulk_job_get_for_user(user=request.user, job_id=pk)
    try:
        action(job)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, done)
    return redirect("videos:bulk_detail", pk=job.pk)


@login_required
@require_POST
def bulk_start_view(request: HttpRequest, pk: int) -> HttpResponse:
    form = BulkStartForm(request.POST)
    valid_only = form.is_valid() and form.cleaned_data["valid_only"]
    return _act(
        request,
        pk,
        lambda job: bulk_job_start(job=job, valid_only=valid_only),
        _("Your videos are being made. You will get an e-mail when they are all done."),
    )


@login_required
@require_POST
def bulk_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda job: bulk_job_cancel(job=job), _("The job was cancelled."))


@login_required
@require_POST
def bulk_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda job: bulk_job_retry_failed(job=job), _("The failed rows are being tried again."))


@login_required
@require_POST
def bulk_export_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = bulk_job_get_for_user(user=request.user, job_id=pk)
    try:
        export = bulk_job_export(job=job, user=request.user)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("videos:bulk_detail", pk=job.pk)
    messages.success(request, _("Your export has started. You will get an e-mail when it is ready."))
    return redirect("videos:export_detail", pk=export.pk)


@login_required
def bulk_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The results sheet: a line per row with its video's page or why it has none."""
    job = bulk_job_get_for_user(user=request.user, job_id=pk)
    response = HttpResponse(content_type="text/csv")
    csv.writer(response).writerows(bulk_results_csv(job=job))  # in the reader's language, as it is read
    response["Content-Disposition"] = f'attachment; filename="bulk-{job.pk}-results.csv"'
    return response
