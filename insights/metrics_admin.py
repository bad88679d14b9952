"""The BI dashboard, the daily snapshots and the acquisition spend in the ops console."""

import csv
import re
from datetime import date, timedelta
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from insights.metrics.dashboard import dashboard_tables, definitions
from insights.models import AcquisitionSpend, BIDashboard, DailySnapshot
from insights.services import acquisition_spend_delete, acquisition_spend_save
from teams.admin import ReadOnlyAdmin, ThroughServices

_NUMBER = re.compile(r"^-[\d.,\s\u00a0]+%?$")
# The longest range the picker accepts: two years of daily rows is still a few hundred kilobytes.
MAX_RANGE_DAYS = 731


class DateRangeForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                raise forms.ValidationError(_("The start must be on or before the end."))
            if (end - start).days >= MAX_RANGE_DAYS:
                raise forms.ValidationError(_("Choose at most two years."))
        return data


def default_range() -> tuple[date, date]:
    """The last 30 finished days."""
    end = timezone.now().date() - timedelta(days=1)
    return end - timedelta(days=29), end


@admin.register(BIDashboard)
class BIDashboardAdmin(ReadOnlyAdmin):
    """The BI dashboard: revenue, users, content, six-month trends, cohorts and the funnel, from snapshots."""

    actions = None

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        start, end = default_range()
        form = DateRangeForm(request.GET or {"start": start, "end": end})
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        figures = dashboard_tables(start=start, end=end)
        wanted = request.GET.get("csv")
        if wanted in figures["tables"]:
            return _csv(figures["tables"][wanted], start, end)
        context = {
            **self.admin_site.each_context(request),
            "title": _("BI dashboard"),
            "opts": self.model._meta,
            "form": form,
            "start": start,
            "end": end,
            "definitions": definitions(),
            **figures,
        }
        return TemplateResponse(request, "admin/insights/bi_dashboard.html", context)


def csv_cell(value: object) -> str:
    """A cell a spreadsheet will not run as a formula: text starting with =, +, -, @ (or a tab or
    carriage return) is prefixed with an apostrophe, unless it is a number such as -12.5 %."""
    text = str(value)
    if text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and not _NUMBER.match(text)):
        return "'" + text
    return text


def _csv(table: Any, start: date, end: date) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table.key}-{start:%Y%m%d}-{end:%Y%m%d}.csv"'
    writer = csv.writer(response)
    writer.writerow([str(header) for header in table.headers])
    writer.writerows([[csv_cell(cell) for cell in row] for row in table.rows])
    return response


@admin.register(DailySnapshot)
class DailySnapshotAdmin(ReadOnlyAdmin):
    """The stored figures, read-only: the beat task writes them (insights.daily_snapshots_build)."""

    list_display = ["day", "family", "computed_at"]
    list_filter = ["family"]
    date_hierarchy = "day"
    readonly_fields = ["day", "family", "data", "computed_at"]


@admin.register(AcquisitionSpend)
class AcquisitionSpendAdmin(ThroughServices, admin.ModelAdmin):
    """What each acquisition channel cost per month; CAC on the BI dashboard divides it by new customers."""

    list_display = ["month", "channel", "amount_cents", "currency", "note", "entered_by", "updated_at"]
    list_filter = ["channel", "month"]
    list_select_related = ["entered_by"]
    fields = ["channel", "month", "amount_cents", "note"]
    actions = ["delete_through_service"]

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deletion goes through the service
        return actions

    def save_model(self, request: HttpRequest, obj: AcquisitionSpend, form: Any, change: bool) -> None:
        saved = acquisition_spend_save(
            spend=obj if change else None,
            channel=obj.channel,
            month=obj.month,
            amount_cents=obj.amount_cents,
            note=obj.note,
            actor=request.user,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: AcquisitionSpend) -> None:
        acquisition_spend_delete(spend=obj)

    @admin.action(description=_("Delete the selected spend rows"), permissions=["delete"])
    def delete_through_service(self, request: HttpRequest, queryset: QuerySet[AcquisitionSpend]) -> None:
        done = self.each_through_service(request, queryset, acquisition_spend_delete, keyword="spend")
        self.message_user(request, _("%(count)d rows deleted.") % {"count": done})
