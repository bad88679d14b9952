"""The incident console: severities, escalation path, incidents with their timeline and clocks,
post-mortems and their action items, maintenance windows, status page subscribers."""

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from insights.incident_models import (
    COMPONENT_CHOICES,
    ActionItem,
    EscalationStep,
    Incident,
    PostMortem,
    Severity,
)
from insights.selectors_incidents import (
    action_items_overdue,
    incident_overdue_q,
    incident_response_report,
    postmortems_overdue,
)
from insights.services import incidents as incident_services
from insights.services.status import maintenance_save
from insights.status_models import Maintenance, StatusSubscriber
from teams.admin import ReadOnlyAdmin, ThroughServices


@admin.register(Severity)
class SeverityAdmin(ThroughServices, admin.ModelAdmin):
    list_display = ["code", "name", "response_minutes", "resolution_minutes", "postmortem_required"]
    fields = ["code", "name", "response_minutes", "resolution_minutes", "postmortem_required"]
    readonly_fields = ["code"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the four levels are seeded; their targets are what staff tune

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Severity, form: Any, change: bool) -> None:
        incident_services.severity_update(
            severity=obj,
            name=obj.name,
            response_minutes=obj.response_minutes,
            resolution_minutes=obj.resolution_minutes,
            postmortem_required=obj.postmortem_required,
        )


@admin.register(EscalationStep)
class EscalationStepAdmin(admin.ModelAdmin):
    """The path (on-call → engineering lead → CTO → executive) is configuration, like beat schedules."""

    list_display = ["order", "level", "delay_minutes"]
    filter_horizontal = ["recipients"]


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Past a target")), ("postmortem", _("Post-mortem overdue"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(incident_overdue_q(now=now))
        if self.value() == "postmortem":
            return queryset.filter(pk__in=postmortems_overdue(now=now).values("pk"))
        return queryset


class IncidentForm(forms.ModelForm):
    components = forms.MultipleChoiceField(
        label=_("affected components"), choices=COMPONENT_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    new_update = forms.CharField(label=_("add to the timeline"), required=False, widget=forms.Textarea({"rows": 3}))
    new_update_public = forms.BooleanField(label=_("public update (status page and subscribers)"), required=False)

    class Meta:
        model = Incident
        fields = ["title", "severity", "components"]


@admin.register(Incident)
class IncidentAdmin(ThroughServices, admin.ModelAdmin):
    form = IncidentForm
    list_display = ["__str__", "severity", "state", "commander", "detected_at", "clock", "source"]
    list_filter = ["severity", "state", OverdueFilter, "source"]
    list_select_related = ["severity", "commander"]
    search_fields = ["title"]
    readonly_fields = [
        "state", "source", "source_id", "commander", "detected_at", "acknowledged_at", "resolved_at",
        "closed_at", "opened_by", "response_due", "resolution_due", "timeline",
    ]  # fmt: skip
    actions = ["acknowledge", "investigating", "identified", "monitoring", "resolve", "close"]
    change_list_template = "admin/insights/incident/change_list.html"

    def get_fields(self, request: HttpRequest, obj: Incident | None = None) -> list[str]:
        if obj is None:
            return ["title", "severity", "components", "new_update", "new_update_public"]
        return ["title", "severity", "components", *self.readonly_fields, "new_update", "new_update_public"]

    def get_readonly_fields(self, request: HttpRequest, obj: Incident | None = None) -> list[str]:
        return self.readonly_fields if obj else []

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # incidents are a record; they are closed, not deleted
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("clock"))
    def clock(self, obj: Incident) -> str:
        late = obj.overdue_clocks(now=timezone.now())
        if not late:
            return "—"
        labels = {"response": _("Response overdue"), "resolution": _("Resolution overdue")}
        # Words and a mark, not colour alone.
        return format_html(
            '<strong class="incident-overdue" style="color:#b91c1c">⚠ {}</strong>',
            ", ".join(str(labels[c]) for c in late),
        )

    @admin.display(description=_("timeline"))
    def timeline(self, obj: Incident) -> str:
        rows = obj.updates.select_related("author").order_by("created_at", "id")
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li><strong>{}</strong> · {} · {} · {}<br>{}</li>",
                (
                    (
                        u.get_kind_display(),
                        u.get_state_display(),
                        f"{u.created_at:%Y-%m-%d %H:%M}",
                        u.author or "—",
                        u.body,
                    )
                    for u in rows
                ),
            ),
        )

    @admin.display(description=_("respond by"))
    def response_due(self, obj: Incident) -> Any:
        return obj.response_due_at()

    @admin.display(description=_("resolve by"))
    def resolution_due(self, obj: Incident) -> Any:
        return obj.resolution_due_at()

    def save_model(self, request: HttpRequest, obj: Incident, form: Any, change: bool) -> None:
        data = form.cleaned_data
        if not change:
            opened = incident_services.incident_open(
                title=data["title"],
                severity=data["severity"],
                actor=request.user,
                components=data["components"],
                public_message=data["new_update"] if data["new_update_public"] else "",
            )
            if data["new_update"] and not data["new_update_public"]:
                incident_services.incident_update_post(
                    incident=opened, actor=request.user, body=data["new_update"], public=False
                )
            obj.pk = opened.pk
            return
        incident_services.incident_update(
            incident=obj,
            actor=request.user,
            title=data["title"],
            severity=data["severity"],
            components=data["components"],
        )
        if data.get("new_update"):
            incident_services.incident_update_post(
                incident=obj, actor=request.user, body=data["new_update"], public=data["new_update_public"]
            )

    def _each(self, request: HttpRequest, queryset: QuerySet, call: Any) -> None:
        done = self.each_through_service(request, queryset, call, keyword="incident")
        self.message_user(
            request, ngettext("%(count)d incident done.", "%(count)d incidents done.", done) % {"count": done}
        )

    @admin.action(description=_("Acknowledge (you become the commander)"), permissions=["change"])
    def acknowledge(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request,
            queryset,
            lambda incident: incident_services.incident_acknowledge(incident=incident, actor=request.user),
        )

    def _move(self, request: HttpRequest, queryset: QuerySet, state: str) -> None:
        self._each(
            request,
            queryset,
            lambda incident: incident_services.incident_transition(
                incident=incident, actor=request.user, to_state=state
            ),
        )

    @admin.action(description=_("Move to investigating"), permissions=["change"])
    def investigating(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, Incident.State.INVESTIGATING)

    @admin.action(description=_("Move to identified"), permissions=["change"])
    def identified(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, Incident.State.IDENTIFIED)

    @admin.action(description=_("Move to monitoring"), permissions=["change"])
    def monitoring(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, Incident.State.MONITORING)

    @admin.action(description=_("Resolve"), permissions=["change"])
    def resolve(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._move(request, queryset, Incident.State.RESOLVED)

    @admin.action(description=_("Close (needs the post-mortem for P0/P1)"), permissions=["change"])
    def close(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._each(
            request, queryset, lambda incident: incident_services.incident_close(incident=incident, actor=request.user)
        )

    def get_urls(self) -> list:
        report = path("report/", self.admin_site.admin_view(self.report_view), name="insights_incident_report")
        return [report, *super().get_urls()]

    def report_view(self, request: HttpRequest) -> HttpResponse:
        now = timezone.now()
        rows = incident_response_report(now=now, months=12)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Incident response report"),
            "rows": rows,
            "chart": {
                "labels": [f"{r['month']:%Y-%m} {r['severity']}" for r in rows],
                "ack": [r["ack_minutes"] for r in rows],
                "resolve": [r["resolve_minutes"] for r in rows],
            },
            "postmortems_overdue": postmortems_overdue(now=now).select_related("severity")[:50],
            "action_items_overdue": action_items_overdue(now=now).select_related("owner", "postmortem__incident")[:50],
        }
        return TemplateResponse(request, "admin/insights/incident/report.html", context)


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    fields = ["description", "owner", "due_on", "done_at"]
    readonly_fields = ["done_at"]
    raw_id_fields = ["owner"]
    extra = 2
    can_delete = False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # existing items are marked done with the action of the action items list


class PostMortemForm(forms.ModelForm):
    class Meta:
        model = PostMortem
        fields = ["incident", "summary", "impact", "timeline", "root_cause", "went_well"]
        help_texts = {
            "summary": _("Blameless: what happened, in systems and decisions, never in people's faults."),
            "timeline": _("Detection, escalation, mitigation, resolution, with times (UTC)."),
        }


@admin.register(PostMortem)
class PostMortemAdmin(ThroughServices, admin.ModelAdmin):
    form = PostMortemForm
    list_display = ["incident", "author", "created_at"]
    list_select_related = ["incident", "author"]
    raw_id_fields = ["incident"]
    inlines = [ActionItemInline]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: PostMortem, form: Any, change: bool) -> None:
        data = form.cleaned_data
        written = incident_services.postmortem_write(
            incident=data["incident"],
            actor=request.user,
            summary=data["summary"],
            impact=data["impact"],
            timeline=data["timeline"],
            root_cause=data["root_cause"],
            went_well=data["went_well"],
        )
        obj.pk = written.pk

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        postmortem = PostMortem.objects.get(pk=form.instance.pk)
        # What the admin's change message reads (formset.save() is never called: the service adds).
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for item_form in formset.extra_forms:
            if item_form.has_changed() and item_form.is_valid():
                formset.new_objects.append(
                    incident_services.action_item_add(
                        postmortem=postmortem,
                        description=item_form.cleaned_data["description"],
                        owner=item_form.cleaned_data["owner"],
                        due_on=item_form.cleaned_data["due_on"],
                    )
                )


class ActionItemOverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Overdue")), ("open", _("Open"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(done_at=None, due_on__lt=timezone.localdate())
        if self.value() == "open":
            return queryset.filter(done_at=None)
        return queryset


@admin.register(ActionItem)
class ActionItemAdmin(ThroughServices, admin.ModelAdmin):
    list_display = ["description", "owner", "due_on", "done_at", "postmortem"]
    list_filter = [ActionItemOverdueFilter]
    list_select_related = ["owner", "postmortem__incident"]
    readonly_fields = ["postmortem", "description", "owner", "due_on", "done_at"]
    actions = ["mark_done"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # added with their post-mortem

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.action(description=_("Mark done"), permissions=["change"])
    def mark_done(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = self.each_through_service(request, queryset, incident_services.action_item_complete, keyword="item")
        self.message_user(request, ngettext("%(count)d item done.", "%(count)d items done.", done) % {"count": done})


class MaintenanceForm(forms.ModelForm):
    components = forms.MultipleChoiceField(
        label=_("affected components"), choices=COMPONENT_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Maintenance
        fields = ["title", "description", "components", "starts_at", "ends_at"]


@admin.register(Maintenance)
class MaintenanceAdmin(ThroughServices, admin.ModelAdmin):
    form = MaintenanceForm
    list_display = ["title", "starts_at", "ends_at"]

    def save_model(self, request: HttpRequest, obj: Maintenance, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = maintenance_save(
            maintenance=obj if change else None,
            title=data["title"],
            description=data["description"],
            components=data["components"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
        )
        obj.pk = saved.pk


@admin.register(StatusSubscriber)
class StatusSubscriberAdmin(ReadOnlyAdmin):
    """Who follows the status page; they subscribe and leave themselves (double opt-in, one click)."""

    list_display = ["email", "language", "created_at", "confirmed_at", "unsubscribed_at"]
    list_filter = [("confirmed_at", admin.EmptyFieldListFilter), ("unsubscribed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    readonly_fields = ["email", "language", "created_at", "confirmed_at", "unsubscribed_at"]
