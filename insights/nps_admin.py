"""The NPS in the ops console: the answers with the figures by month, segment and plan above them,
and the customer-success task queue (overdue tasks highlighted), every change through the services."""

from datetime import datetime, timedelta

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from insights.nps_models import CustomerSuccessTask, NpsResponse
from insights.nps_score import SMALL_SAMPLE
from insights.nps_selectors import nps_by_month, nps_by_plan, nps_by_segment, nps_detractor_themes
from insights.services.nps import customer_success_task_complete, customer_success_task_update
from teams.admin import ReadOnlyAdmin, ThroughServices
from teams.models import User

SUMMARY_MONTHS = 6


def _six_months(now: datetime) -> tuple[datetime, datetime]:
    start = timezone.localdate(now).replace(day=1)
    for _n in range(SUMMARY_MONTHS - 1):
        start = (start - timedelta(days=1)).replace(day=1)
    return timezone.make_aware(datetime.combine(start, datetime.min.time())), now + timedelta(seconds=1)


@admin.register(NpsResponse)
class NpsResponseAdmin(ReadOnlyAdmin):
    """The answers (read-only evidence), filterable; the figures of the last six months above them."""

    list_display = ["created_at", "score", "category", "feedback_excerpt", "channel", "plan_code", "segment", "user"]
    list_filter = ["category", "channel", "segment", "plan_code", "created_at"]
    search_fields = ["feedback"]
    search_help_text = _("Words of the feedback.")
    list_select_related = ["user"]
    readonly_fields = [f.name for f in NpsResponse._meta.fields]

    @admin.display(description=_("feedback"))
    def feedback_excerpt(self, obj: NpsResponse) -> str:
        return Truncator(obj.feedback).chars(80) or "—"

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        since, until = _six_months(timezone.now())
        summary = {
            "months": nps_by_month(months=SUMMARY_MONTHS),
            "segments": nps_by_segment(since=since, until=until),
            "plans": nps_by_plan(since=since, until=until),
            "themes": nps_detractor_themes(since=since, until=until),
            "small_sample": SMALL_SAMPLE,
        }
        return super().changelist_view(request, {**(extra_context or {}), "nps": summary})


class TaskForm(forms.ModelForm):
    class Meta:
        model = CustomerSuccessTask
        fields = ["assignee", "note"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(is_staff=True, is_active=True).order_by("email")


@admin.register(CustomerSuccessTask)
class CustomerSuccessTaskAdmin(ThroughServices, admin.ModelAdmin):
    """The follow-ups of detractors: open ones first, most overdue on top."""

    form = TaskForm
    list_display = ["__str__", "due", "status", "person", "score", "feedback_excerpt", "assignee"]
    list_filter = ["status", ("assignee", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["response__user", "assignee"]
    ordering = ["status", "due_at", "id"]
    readonly_fields = ["person", "score", "feedback", "status", "due_at", "created_at", "done_at"]
    fields = ["person", "score", "feedback", "status", "due_at", "assignee", "note", "created_at", "done_at"]
    actions = ["mark_done"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("due"), ordering="due_at")
    def due(self, obj: CustomerSuccessTask) -> str:
        when = timezone.localtime(obj.due_at).strftime("%Y-%m-%d %H:%M")
        if obj.is_overdue:
            return format_html('<strong class="overdue" style="color: #b91c1c">{} · {}</strong>', when, _("overdue"))
        return when

    @admin.display(description=_("person"))
    def person(self, obj: CustomerSuccessTask) -> str:
        user = obj.response.user
        return f"{user.name} <{user.email}>" if user else "—"

    @admin.display(description=_("score"))
    def score(self, obj: CustomerSuccessTask) -> int:
        return obj.response.score

    @admin.display(description=_("feedback"))
    def feedback(self, obj: CustomerSuccessTask) -> str:
        return obj.response.feedback or "—"

    @admin.display(description=_("feedback"))
    def feedback_excerpt(self, obj: CustomerSuccessTask) -> str:
        return Truncator(obj.response.feedback).chars(60) or "—"

    def save_model(self, request: HttpRequest, obj: CustomerSuccessTask, form: forms.ModelForm, change: bool) -> None:
        stored = CustomerSuccessTask.objects.get(pk=obj.pk)
        customer_success_task_update(task=stored, actor=request.user, assignee=obj.assignee, note=obj.note)

    @admin.action(description=_("Mark done"), permissions=["change"])
    def mark_done(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = self.each_through_service(
            request,
            queryset,
            lambda task: customer_success_task_complete(task=task, actor=request.user),
            keyword="task",
        )
        self.message_user(
            request, ngettext("%(count)d task done.", "%(count)d tasks done.", done) % {"count": done}, messages.SUCCESS
        )
