"""Experiments in the ops console: define and run them, read results, ship a winner; the growth dashboard."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.errors import DomainError
from growth.analysis import Verdict, experiment_guardrails, experiment_results
from growth.dashboard import growth_numbers, growth_summary
from growth.experiments_models import (
    Experiment,
    ExperimentAssignment,
    ExperimentDashboard,
    ExperimentGoal,
    ExperimentVariant,
)
from growth.services.experiments import (
    EDITABLE_FIELDS,
    experiment_create,
    experiment_ship,
    experiment_start,
    experiment_stop,
    experiment_update,
    experiment_variant_delete,
    experiment_variant_save,
)
from insights.event_names import EventName
from teams.admin import ReadOnlyAdmin, ThroughServices


class VariantInlineFormSet(BaseInlineFormSet):
    """Saved by `ExperimentAdmin.save_formset` through the services, never by `save()`."""

    def save(self, commit: bool = True) -> list[ExperimentVariant]:
        raise NotImplementedError("Variants are written by ExperimentAdmin.save_formset through the services.")


class VariantInline(admin.TabularInline):
    model = ExperimentVariant
    formset = VariantInlineFormSet
    extra = 0
    fields = ["position", "key", "name", "weight"]

    def _draft(self, obj: Experiment | None) -> bool:
        return obj is None or obj.status == Experiment.Status.DRAFT

    # Variants are fixed once the experiment starts: changing them would move people between variants.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._draft(obj) and super().has_delete_permission(request, obj)


class ExperimentForm(forms.ModelForm):
    goal_event = forms.ChoiceField(label=_("goal event"), choices=EventName.choices)

    class Meta:
        model = Experiment
        fields = [
            "key",
            "name",
            "hypothesis",
            "goal_event",
            "guardrail_events",
            "coverage",
            "minimum_detectable_effect",
            "seed",
        ]


@admin.register(Experiment)
class ExperimentAdmin(ThroughServices, admin.ModelAdmin):
    form = ExperimentForm
    list_display = ["name", "key", "status", "goal_event", "exposures", "started_at", "ended_at"]
    list_filter = ["status", "goal_event"]
    search_fields = ["key", "name"]
    inlines = [VariantInline]
    actions = ["start", "stop", "ship_winner"]
    readonly_fields = ["status", "results", "shipped_variant", "started_at", "ended_at", "verdict_notified_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Experiment]:
        return super().get_queryset(request).select_related("shipped_variant").annotate(_exposures=Count("assignments"))

    def get_fields(self, request: HttpRequest, obj: Experiment | None = None) -> list[str]:
        editable = ["key", *EDITABLE_FIELDS, "seed"]
        return editable if obj is None else [*editable, *self.readonly_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Experiment | None = None) -> list[str]:
        if obj is None:
            return []
        frozen = ["key"] if obj.status == Experiment.Status.DRAFT else ["key", "goal_event", "coverage", "seed"]
        return [*frozen, *self.readonly_fields]

    @admin.display(description=_("exposures"), ordering="_exposures")
    def exposures(self, obj: Experiment) -> int:
        return obj._exposures

    @admin.display(description=_("results"))
    def results(self, obj: Experiment) -> str:
        from django.template.loader import render_to_string

        if obj.pk is None:
            return "—"
        result = experiment_results(experiments=[obj])[0]
        guardrails = experiment_guardrails(experiment=obj, variants=[r.variant for r in result.variants])
        rows = [(row, [rates[i] for rates in guardrails.values()]) for i, row in enumerate(result.variants)]
        return render_to_string(
            "admin/growth/experiment_results.html", {"result": result, "guardrails": guardrails, "rows": rows}
        )

    def save_model(self, request: HttpRequest, obj: Experiment, form: forms.ModelForm, change: bool) -> None:
        values = {field: form.cleaned_data[field] for field in EDITABLE_FIELDS if field in form.cleaned_data}
        if not change:
            experiment = experiment_create(key=obj.key, variants=[], actor=request.user, **values)
            if obj.seed:
                experiment_update(experiment=experiment, actor=request.user, seed=obj.seed)
            obj.__dict__.update(Experiment.objects.get(pk=experiment.pk).__dict__)
            return
        stored = Experiment.objects.get(pk=obj.pk)
        if "seed" in form.cleaned_data:
            values["seed"] = form.cleaned_data["seed"]
        experiment_update(experiment=stored, actor=request.user, **values)

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        experiment = form.instance
        added, changed, removed = [], [], []
        for row in formset.forms:
            data = row.cleaned_data
            if not data:
                continue
            if data.get("DELETE"):
                if row.instance.pk is not None:
                    experiment_variant_delete(variant=row.instance)
                    removed.append(row.instance)
                continue
            if row.instance.pk is not None and not row.has_changed():
                continue
            variant = experiment_variant_save(
                experiment=experiment,
                key=data["key"],
                name=data["name"],
                weight=data["weight"],
                position=data["position"],
                variant=row.instance if row.instance.pk is not None else None,
            )
            (changed if row.instance.pk is not None else added).append(
                (variant, row.changed_data) if row.instance.pk is not None else variant
            )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = added, changed, removed

    def _each(self, request: HttpRequest, queryset: QuerySet[Experiment], service: Any) -> int:
        count = 0
        for experiment in queryset:
            try:
                service(experiment=experiment, actor=request.user)
                count += 1
            except DomainError as exc:
                self.message_user(request, f"{experiment.name}: {exc.message}", messages.WARNING)
        return count

    @admin.action(description=_("Start"), permissions=["change"])
    def start(self, request: HttpRequest, queryset: QuerySet[Experiment]) -> None:
        count = self._each(request, queryset, experiment_start)
        message = ngettext("%(count)d experiment started.", "%(count)d experiments started.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Stop (everyone sees control)"), permissions=["change"])
    def stop(self, request: HttpRequest, queryset: QuerySet[Experiment]) -> None:
        count = self._each(request, queryset, experiment_stop)
        message = ngettext("%(count)d experiment stopped.", "%(count)d experiments stopped.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Ship the winner to everyone"), permissions=["change"])
    def ship_winner(self, request: HttpRequest, queryset: QuerySet[Experiment]) -> None:
        count = 0
        for result in experiment_results(experiments=queryset):
            if result.verdict != Verdict.WINNER or result.winner is None:
                self.message_user(
                    request,
                    _("%(experiment)s: no winner to ship (%(verdict)s).")
                    % {"experiment": result.experiment.name, "verdict": result.verdict_label},
                    messages.WARNING,
                )
                continue
            try:
                experiment_ship(experiment=result.experiment, variant=result.winner.variant, actor=request.user)
                count += 1
            except DomainError as exc:
                self.message_user(request, f"{result.experiment.name}: {exc.message}", messages.WARNING)
        message = ngettext("%(count)d winner shipped.", "%(count)d winners shipped.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(ExperimentDashboard)
class ExperimentDashboardAdmin(ReadOnlyAdmin):
    """The growth dashboard: running experiments and their verdicts, signups, activation, Pro conversion."""

    actions = None

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        numbers = growth_numbers()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Growth dashboard"),
            "opts": self.model._meta,
            "numbers": numbers,
            "summary": growth_summary(numbers),
            "verdicts": Verdict,
        }
        return TemplateResponse(request, "admin/growth/dashboard.html", context)


@admin.register(ExperimentAssignment)
class ExperimentAssignmentAdmin(ReadOnlyAdmin):
    """Exposures are written once, by the pages that show a variant."""

    list_display = ["exposed_at", "experiment", "variant", "user", "anonymous_id"]
    list_filter = ["experiment", "exposed_at"]
    search_fields = ["user__email", "anonymous_id", "experiment__key"]
    list_select_related = ["experiment", "variant", "user"]
    date_hierarchy = "exposed_at"


@admin.register(ExperimentGoal)
class ExperimentGoalAdmin(ReadOnlyAdmin):
    """Goals posted by API clients."""

    list_display = ["occurred_at", "experiment", "user", "event_id"]
    list_filter = ["experiment"]
    search_fields = ["user__email", "event_id", "experiment__key"]
    list_select_related = ["experiment", "user"]
    date_hierarchy = "occurred_at"
