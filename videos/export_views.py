"""Pages of batch exports: start one from the video list, follow its progress, download, cancel."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from videos.models import ExportJob
from videos.permissions import export_get_for_user
from videos.services.exports import export_cancel, export_download_url, export_start

EXPORTS_PER_PAGE = 20


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    jobs = ExportJob.objects.filter(owner=request.user).order_by("-created_at", "-pk")
    page = Paginator(jobs, EXPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "videos/export_list.html", {"page_obj": page, "query": ""})


@login_required
@require_POST
def export_start_view(request: HttpRequest) -> HttpResponse:
    ids = [value for value in request.POST.getlist("videos") if value.isdecimal()]
    try:
        job = export_start(user=request.user, video_ids=[int(value) for value in ids])
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        # Back to the list, where the person chose the videos, with the reason.
        messages.error(request, str(exc.message))
        return redirect("videos:list")
    messages.success(request, _("Your export has started. You will get an e-mail when it is ready."))
    return redirect("videos:export_detail", pk=job.pk)


def _context(request: HttpRequest, job: ExportJob) -> dict:
    return {"job": job, "download_url": export_download_url(job=job)}


@login_required
def export_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = export_get_for_user(user=request.user, export_id=pk)
    return render(request, "videos/export_detail.html", _context(request, job))


@login_required
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel alone, polled by htmx while the export is being prepared."""
    job = export_get_for_user(user=request.user, export_id=pk)
    return render(request, "videos/_export_status.html", _context(request, job))


@login_required
@require_POST
def export_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = export_get_for_user(user=request.user, export_id=pk)
    export_cancel(job=job)  # a refusal is the page-error middleware's to show
    messages.success(request, _("The export was cancelled."))
    return redirect("videos:export_detail", pk=job.pk)
