"""Pages of scheduled publishing: schedule a video, the list and calendar, a publication's results,
and the publishing accounts (link through allauth, unlink)."""

import calendar
import zoneinfo
from datetime import date, datetime, time, timedelta

from allauth.socialaccount.models import SocialAccount
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError, NotFound
from teams.permissions import Action
from videos.permissions import publication_get_for_user, publication_target_get_for_user, video_get_for_user
from videos.platforms.accounts import PROVIDERS, account_status_for
from videos.publishing_forms import FilterForm, ScheduleForm, WhenForm
from videos.publishing_selectors import PAST, UPCOMING, publications_for_user
from videos.services.publishing import (
    publication_cancel,
    publication_publish_now,
    publication_reschedule,
    publication_retry,
    publication_schedule,
    target_confirm_published,
)

PER_PAGE = 20


def _linked(user) -> set[str]:
    providers = set(SocialAccount.objects.filter(user=user).values_list("provider", flat=True))
    return {platform for platform, provider in PROVIDERS.items() if provider in providers}


@login_required
def publication_schedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    video = video_get_for_user(user=request.user, video_id=pk, action=Action.SCHEDULE)
    linked = _linked(request.user)
    initial = {"time_zone": request.user.time_zone or "UTC"}
    form = ScheduleForm(request.POST or None, initial=initial, linked=linked, video_title=video.title)
    if request.method == "POST" and form.is_valid():
        try:
            publication = publication_schedule(
                user=request.user,
                video=video,
                local_time=None if form.cleaned_data["publish_now"] else form.cleaned_data["local_time"],
                time_zone=form.cleaned_data["time_zone"],
                fold=form.fold_value,
                targets=form.targets(),
            )
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            field = "local_time" if exc.field == "scheduled_at" else exc.field
            form.add_error(field if field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("The video is scheduled."))
            return redirect("videos:publication_detail", pk=publication.pk)
    return render(request, "videos/publishing/schedule.html", {"form": form, "video": video, "linked": linked})


@login_required
def publication_list(request: HttpRequest) -> HttpResponse:
    when = request.GET.get("when") if request.GET.get("when") in (UPCOMING, PAST) else UPCOMING
    filters = FilterForm(request.GET or None)
    platform = status = ""
    if filters.is_valid():
        platform, status = filters.cleaned_data["platform"], filters.cleaned_data["status"]
    publications = publications_for_user(user=request.user, when=when, platform=platform, status=status)
    page = Paginator(publications, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "videos/publishing/list.html", {"page_obj": page, "when": when, "filters": filters, "query": ""}
    )


@login_required
def publication_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        month = date(int(request.GET.get("year", today.year)), int(request.GET.get("month", today.month)), 1)
    except ValueError:
        month = today.replace(day=1)
    zone = timezone.get_current_timezone()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    start = datetime.combine(weeks[0][0], time.min, tzinfo=zone)
    end = datetime.combine(weeks[-1][-1] + timedelta(days=1), time.min, tzinfo=zone)
    filters = FilterForm(request.GET or None)
    platform = status = ""
    if filters.is_valid():
        platform, status = filters.cleaned_data["platform"], filters.cleaned_data["status"]
    by_day: dict[date, list] = {}
    for publication in publications_for_user(
        user=request.user, platform=platform, status=status, start=start, end=end
    ).order_by("scheduled_at"):
        by_day.setdefault(timezone.localtime(publication.scheduled_at).date(), []).append(publication)
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    context = {
        "month": month,
        "weeks": [[(day, by_day.get(day, []), day.month == month.month) for day in week] for week in weeks],
        "previous": previous,
        "following": following,
        "filters": filters,
        "today": today,
    }
    return render(request, "videos/publishing/calendar.html", context)


@login_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = publication_get_for_user(user=request.user, publication_id=pk)
    zone = publication.time_zone
    form = WhenForm(
        initial={
            "time_zone": zone,
            "local_time": timezone.localtime(publication.scheduled_at, timezone=zoneinfo.ZoneInfo(zone)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
        }
    )
    return render(request, "videos/publishing/detail.html", {"publication": publication, "form": form})


@login_required
@require_POST
def publication_reschedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    publication = publication_get_for_user(user=request.user, publication_id=pk, action=Action.SCHEDULE)
    form = WhenForm(request.POST)
    if form.is_valid() and form.cleaned_data["local_time"]:
        try:
            publication_reschedule(
                publication=publication,
                local_time=form.cleaned_data["local_time"],
                time_zone=form.cleaned_data["time_zone"],
                fold=form.fold_value,
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The publication was rescheduled."))
            return redirect("videos:publication_detail", pk=pk)
    elif form.is_valid():
        form.add_error("local_time", _("Choose when to publish."))
    return render(request, "videos/publishing/detail.html", {"publication": publication, "form": form}, status=400)


@login_required
@require_POST
def publication_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    publication = publication_get_for_user(user=request.user, publication_id=pk, action=Action.SCHEDULE)
    publication_cancel(publication=publication)
    messages.success(request, _("The publication was cancelled."))
    return redirect("videos:publication_detail", pk=pk)


@login_required
@require_POST
def publication_publish_now_view(request: HttpRequest, pk: int) -> HttpResponse:
    publication = publication_get_for_user(user=request.user, publication_id=pk, action=Action.SCHEDULE)
    publication_publish_now(publication=publication)
    messages.success(request, _("Publishing has started."))
    return redirect("videos:publication_detail", pk=pk)


@login_required
@require_POST
def publication_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    publication = publication_get_for_user(user=request.user, publication_id=pk, action=Action.SCHEDULE)
    publication_retry(publication=publication, confirm_unknown=request.POST.get("confirm_unknown") == "1")
    messages.success(request, _("Publishing is being tried again."))
    return redirect("videos:publication_detail", pk=pk)


@login_required
@require_POST
def publication_target_confirm_view(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    target = publication_target_get_for_user(user=request.user, target_id=target_pk)
    if target.publication_id != pk:
        raise NotFound()
    target_confirm_published(target=target, public_url=request.POST.get("public_url", "")[:500])
    messages.success(request, _("Recorded as published."))
    return redirect("videos:publication_detail", pk=pk)


@login_required
def publishing_accounts(request: HttpRequest) -> HttpResponse:
    return render(request, "videos/publishing/accounts.html", {"rows": account_status_for(user=request.user)})


@login_required
@require_POST
def publishing_account_unlink(request: HttpRequest, pk: int) -> HttpResponse:
    # The person's own linked account only; anyone else's is a 404.
    account = SocialAccount.objects.filter(pk=pk, user=request.user, provider__in=PROVIDERS.values()).first()
    if account is None:
        raise NotFound()
    account.delete()
    messages.success(
        request, _("The account was unlinked. Publications already scheduled on it will fail until you link it again.")
    )
    return redirect("videos:publishing_accounts")
