"""Campaigns in the ops console: edit texts per language, preview them in each language, see the
audience and the figures; pause, switch on, send a test to yourself, schedule or send a one-off."""

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.db.models import Count, Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from config.errors import DomainError
from growth.campaign_emails import campaign_render
from growth.campaign_models import Campaign, CampaignSend, CampaignSubject, EmailOptOut
from growth.campaign_selectors import campaign_recipient_count, campaign_stats
from growth.services.campaigns import (
    campaign_activate,
    campaign_pause,
    campaign_save,
    campaign_schedule,
    campaign_send_now,
    campaign_send_test,
    campaign_subject_delete,
    campaign_subject_save,
)
from insights.event_names import EventName
from teams.admin import ReadOnlyAdmin, ThroughServices


class SubjectInlineFormSet(BaseInlineFormSet):
    """Saved by `CampaignAdmin.save_formset` through the services, never by `save()`."""

    def save(self, commit: bool = True) -> list[CampaignSubject]:
        raise NotImplementedError("Subject lines are written by CampaignAdmin.save_formset through the services.")


class SubjectInline(TranslationTabularInline):
    model = CampaignSubject
    formset = SubjectInlineFormSet
    extra = 0
    fields = ["variant", "subject"]
    verbose_name_plural = _("A/B subject lines (variants of the subject-line experiment)")


class CampaignForm(forms.ModelForm):
    goal_event = forms.ChoiceField(label=_("goal event"), choices=[("", "—"), *EventName.choices], required=False)

    class Meta:
        model = Campaign
        fields = [
            "key",
            "name",
            "trigger",
            "category",
            "segment",
            "delay_days",
            "goal_event",
            "subject",
            "body",
            "cta_label",
            "cta_path",
            "subject_experiment",
            "audience_plan",
            "audience_language",
            "audience_active_within_days",
            "audience_inactive_for_days",
            "audience_min_videos",
            "audience_max_videos",
            "audience_country",
            "audience_tier",
            "scheduled_at",
        ]


@admin.register(Campaign)
class CampaignAdmin(ThroughServices, TranslationAdmin):
    form = CampaignForm
    list_display = ["name", "trigger", "status", "category", "segment", "sent", "opened", "clicked"]
    list_filter = ["status", "trigger", "category"]
    search_fields = ["key", "name"]
    inlines = [SubjectInline]
    actions = ["pause_action", "activate_action", "send_now_action", "schedule_action", "send_test_action"]
    readonly_fields = ["status", "statistics", "recipients", "previews", "started_at", "finished_at"]
    fieldsets = [
        (None, {"fields": ["key", "name", "status", "trigger", "category", "segment", "delay_days", "goal_event"]}),
        (_("Texts (per language)"), {"fields": ["subject", "body", "cta_label", "cta_path", "previews"]}),
        (_("A/B subject lines"), {"fields": ["subject_experiment"]}),
        (
            _("One-off audience"),
            {
                "fields": [
                    "audience_plan",
                    "audience_language",
                    "audience_active_within_days",
                    "audience_inactive_for_days",
                    "audience_min_videos",
                    "audience_max_videos",
                    "audience_country",
                    "audience_tier",
                    "recipients",
                    "scheduled_at",
                ]
            },
        ),
        (_("Figures"), {"fields": ["statistics", "started_at", "finished_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Campaign]:
        sent = Q(sends__status=CampaignSend.Status.SENT)
        return (
            super()
            .get_queryset(request)
            .annotate(
                _sent=Count("sends", filter=sent),
                _opened=Count("sends", filter=sent & Q(sends__opened_at__isnull=False)),
                _clicked=Count("sends", filter=sent & Q(sends__clicked_at__isnull=False)),
            )
        )

    @admin.display(description=_("sent"), ordering="_sent")
    def sent(self, obj: Campaign) -> int:
        return obj._sent  # type: ignore[attr-defined]

    @admin.display(description=_("opened"), ordering="_opened")
    def opened(self, obj: Campaign) -> int:
        return obj._opened  # type: ignore[attr-defined]

    @admin.display(description=_("clicked"), ordering="_clicked")
    def clicked(self, obj: Campaign) -> int:
        return obj._clicked  # type: ignore[attr-defined]

    @admin.display(description=_("figures"))
    def statistics(self, obj: Campaign) -> str:
        if obj.pk is None:
            return "—"
        return render_to_string("admin/growth/campaign_stats.html", {"stats": campaign_stats(campaign=obj)})

    @admin.display(description=_("recipients if sent now"))
    def recipients(self, obj: Campaign) -> str:
        if obj.pk is None or obj.is_lifecycle:
            return "—"
        return str(campaign_recipient_count(campaign=obj))

    @admin.display(description=_("preview"))
    def previews(self, obj: Campaign) -> str:
        if obj.pk is None:
            return "—"
        return format_html_join(
            " · ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:growth_campaign_preview", args=[obj.pk, code]), name)
                for code, name in settings.LANGUAGES
            ),
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # pause instead: the sends and their figures stay

    def save_model(self, request: HttpRequest, obj: Campaign, form: forms.ModelForm, change: bool) -> None:
        campaign_save(campaign=obj)

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        added, changed, removed = [], [], []
        for row in formset.forms:
            data = row.cleaned_data
            if not data:
                continue
            if data.get("DELETE"):
                if row.instance.pk is not None:
                    campaign_subject_delete(subject=row.instance)
                    removed.append(row.instance)
                continue
            if row.instance.pk is not None and not row.has_changed():
                continue
            row.instance.campaign = form.instance
            campaign_subject_save(subject=row.instance)
            (changed if row.changed_data and row.instance.pk else added).append(row.instance)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = added, [], removed

    def get_urls(self) -> list:
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<path:object_id>/preview/<str:language>/", preview, name="growth_campaign_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request: HttpRequest, object_id: str, language: str) -> HttpResponse:
        campaign = self.get_object(request, object_id)
        if campaign is None or language not in dict(settings.LANGUAGES):
            raise Http404
        if not self.has_view_permission(request, campaign):
            raise HttpPermissionDenied
        rendered = campaign_render(campaign=campaign, user=request.user, language=language)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview: %(campaign)s") % {"campaign": campaign.name},
            "campaign": campaign,
            "language": language,
            "rendered": rendered,
            "languages": settings.LANGUAGES,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/growth/campaign_preview.html", context)

    def _each(self, request: HttpRequest, queryset: QuerySet[Campaign], service: Any, done: str) -> None:
        count = self.each_through_service(request, queryset, service, keyword="campaign")
        self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Pause"), permissions=["change"])
    def pause_action(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        self._each(request, queryset, campaign_pause, _("%(count)d campaigns paused."))

    @admin.action(description=_("Switch on (lifecycle)"), permissions=["change"])
    def activate_action(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        self._each(request, queryset, campaign_activate, _("%(count)d campaigns switched on."))

    @admin.action(description=_("Send now (one-off)"), permissions=["change"])
    def send_now_action(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        for campaign in queryset:
            try:
                count = campaign_send_now(campaign=campaign)
            except DomainError as exc:
                self.message_user(request, f"{campaign}: {exc.message}", messages.WARNING)
                continue
            message = ngettext(
                "%(campaign)s: sending to %(count)d person.", "%(campaign)s: sending to %(count)d people.", count
            )
            self.message_user(request, message % {"campaign": campaign, "count": count}, messages.SUCCESS)

    @admin.action(description=_("Schedule at its send time (one-off)"), permissions=["change"])
    def schedule_action(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        for campaign in queryset:
            if campaign.scheduled_at is None:
                self.message_user(request, f"{campaign}: {_('Set a send time first.')}", messages.WARNING)
                continue
            try:
                campaign_schedule(campaign=campaign, at=campaign.scheduled_at)
            except DomainError as exc:
                self.message_user(request, f"{campaign}: {exc.message}", messages.WARNING)
                continue
            self.message_user(request, _("%(campaign)s scheduled.") % {"campaign": campaign}, messages.SUCCESS)

    @admin.action(description=_("Send a test to me"), permissions=["change"])
    def send_test_action(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        for campaign in queryset:
            campaign_send_test(campaign=campaign, staff=request.user)
        self.message_user(request, format_html(_("Test sent to {}."), request.user.email), messages.SUCCESS)


@admin.register(CampaignSend)
class CampaignSendAdmin(ReadOnlyAdmin):
    list_display = ["campaign", "user", "period", "status", "variant_key", "sent_at", "opened_at", "clicked_at"]
    list_filter = ["status", "campaign"]
    search_fields = ["user__email"]
    list_select_related = ["campaign", "user"]
    date_hierarchy = None


@admin.register(EmailOptOut)
class EmailOptOutAdmin(admin.ModelAdmin):
    list_display = ["user", "category", "created_at"]
    list_filter = ["category"]
    search_fields = ["user__email"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # only the person opts back in (their preferences page)
