"""The support inbox in the ops console: triage (status, assignee) and replies, through the services.
A reply typed on the form is e-mailed to the person in their language and kept on the thread."""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from insights.services.incidents import incident_open_from_support_request
from insights.services.support import support_reply_from_staff, support_request_triage
from insights.support_models import SupportRequest
from insights.support_selectors import support_categories_top, support_thread
from teams.admin import ThroughServices
from teams.models import User

TOP_CATEGORIES_DAYS = 30


class SupportRequestForm(forms.ModelForm):
    reply = forms.CharField(
        label=_("Reply to the person"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("E-mailed to them in their language and added to the thread."),
    )

    class Meta:
        model = SupportRequest
        fields = ["status", "assignee"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = User.objects.filter(is_staff=True, is_active=True).order_by("email")


@admin.register(SupportRequest)
class SupportRequestAdmin(ThroughServices, admin.ModelAdmin):
    form = SupportRequestForm
    list_display = ["__str__", "user", "category", "status", "assignee", "updated_at", "created_at"]
    list_filter = ["status", "category", ("assignee", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["subject", "user__email"]
    list_select_related = ["user", "assignee"]
    ordering = ["-updated_at", "-id"]
    readonly_fields = [
        "user", "category", "subject", "screenshot_link", "page_url", "created_at", "updated_at", "thread",
    ]  # fmt: skip
    fields = [
        "user", "category", "subject", "screenshot_link", "page_url", "created_at", "updated_at", "thread",
        "status", "assignee", "reply",
    ]  # fmt: skip

    actions = ["open_incident"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Open an incident (P2) for the selected requests"), permissions=["change"])
    def open_incident(self, request: HttpRequest, queryset: object) -> None:
        def open_for(*, support_request: SupportRequest) -> None:
            incident_open_from_support_request(support_request=support_request, actor=request.user)

        done = self.each_through_service(request, queryset, open_for, keyword="support_request")
        self.message_user(request, _("Incidents opened or found: %(count)s.") % {"count": done})

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("screenshot"))
    def screenshot_link(self, obj: SupportRequest) -> str:
        if not obj.screenshot:
            return "—"
        return format_html('<a href="{0}"><img src="{0}" alt="" style="max-width: 320px"></a>', obj.screenshot.url)

    @admin.display(description=_("thread"))
    def thread(self, obj: SupportRequest) -> str:
        messages = support_thread(request=obj)
        return format_html(
            '<ol style="margin:0;padding-left:1.2em">{}</ol>',
            format_html_join(
                "",
                '<li style="margin-bottom:.75em"><strong>{}</strong> · {}<br>'
                '<span style="white-space:pre-wrap">{}</span></li>',
                (
                    (
                        f"{m.author.name if m.author else '—'}{' (staff)' if m.from_staff else ''}",
                        timezone.localtime(m.created_at).strftime("%Y-%m-%d %H:%M"),
                        m.body,
                    )
                    for m in messages
                ),
            ),
        )

    def save_model(self, request: HttpRequest, obj: SupportRequest, form: forms.ModelForm, change: bool) -> None:
        stored = SupportRequest.objects.select_related("user").get(pk=obj.pk)
        support_request_triage(request=stored, actor=request.user, status=obj.status, assignee=obj.assignee)
        reply = form.cleaned_data.get("reply", "").strip()
        if reply:
            support_reply_from_staff(request=stored, actor=request.user, body=reply)

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        now = timezone.now()
        top = support_categories_top(since=now - timedelta(days=TOP_CATEGORIES_DAYS), until=now + timedelta(seconds=1))
        return super().changelist_view(
            request, {**(extra_context or {}), "top_categories": top, "top_days": TOP_CATEGORIES_DAYS}
        )
