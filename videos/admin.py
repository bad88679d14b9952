"""The ops console for templates, videos, versions and template imports."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin

from config.admin_lists import LargeTableAdmin
from config.errors import DomainError, NotFound
from videos.forms import TemplateImportForm
from videos.models import BrandingProfile, MediaAsset, Template, TemplateImport, Video, VideoVersion
from videos.permissions import template_import_get_for_user
from videos.services import (
    branding_profile_delete,
    branding_profile_set_default,
    branding_profile_update,
    template_import_start,
    template_set_active,
    versions_apply_retention,
    video_delete,
    video_edit,
    video_rerender,
)
from videos.services.branding import EDITABLE, branding_profile_check_changes


@admin.register(Template)
class TemplateAdmin(TranslationAdmin):
    list_display = ["title", "slug", "category", "tier", "aspect_ratio", "duration_seconds", "usage_count", "is_active"]
    list_filter = ["category", "tier", "aspect_ratio", "is_active"]
    search_fields = ["title", "slug", "tags", "style"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["usage_count", "created_at", "updated_at"]
    actions = ["activate", "deactivate"]
    change_list_template = "admin/videos/template/change_list.html"

    def get_urls(self) -> list:
        urls = [path("import/", self.admin_site.admin_view(self.import_view), name="videos_template_import")]
        return urls + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = TemplateImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = template_import_start(user=request.user, upload=form.cleaned_data["file"])
            except DomainError as exc:
                form.add_error("file", str(exc.message))
            else:
                self.message_user(request, _("The import has started."), messages.SUCCESS)
                return redirect("admin:videos_templateimport_change", job.pk)
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _("Import templates"),
            "opts": self.opts,
        }
        return render(request, "admin/videos/template/import.html", context)

    @admin.action(description=_("Show in the library"), permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[Template]) -> None:
        count = template_set_active(templates=queryset, active=True)
        self.message_user(
            request, ngettext("%(count)d template shown.", "%(count)d templates shown.", count) % {"count": count}
        )

    @admin.action(description=_("Hide from the library"), permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Template]) -> None:
        count = template_set_active(templates=queryset, active=False)
        self.message_user(
            request, ngettext("%(count)d template hidden.", "%(count)d templates hidden.", count) % {"count": count}
        )


class VideoVersionInline(admin.TabularInline):
    model = VideoVersion
    fields = [
        "number",
        "status",
        "progress",
        "size_bytes",
        "duration_seconds",
        "created_by",
        "change_description",
        "created_at",
        "purged_at",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["-number"]

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Video)
class VideoAdmin(LargeTableAdmin):
    list_display = [
        "title",
        "owner",
        "team",
        "status",
        "source",
        "template",
        "duration_seconds",
        "size_bytes",
        "created_at",
    ]
    list_filter = ["status", "source", "template", "created_at"]
    search_fields = ["title"]
    search_email_fields = ("owner__email",)
    search_help_text = _("Words of the title, or the owner's e-mail address.")
    list_select_related = ["owner", "team", "template"]
    # Only the title is edited here, through video_edit as on the video page; the rest (owner, team,
    # status, current version …) is kept by the services and would break their rules if set by hand.
    readonly_fields = [f.name for f in Video._meta.fields if f.name != "title" and not f.primary_key]
    inlines = [VideoVersionInline]
    actions = ["rerender_failed", "apply_retention", "delete_with_files"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # videos are made on the pages and through the API, by video_create

    def save_model(self, request: HttpRequest, obj: Video, form: object, change: bool) -> None:
        video_edit(video=obj, actor=request.user, title=obj.title)

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        # The stock bulk delete would leave the files in storage.
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request: HttpRequest, obj: Video) -> None:
        video_delete(video=obj, actor=request.user)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple:
        # video_delete removes the versions and assets with their files; that the console may not
        # delete those one by one does not stop deleting the video.
        deleted, model_count, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, model_count, set(), protected

    @admin.action(description=_("Render failed videos again"), permissions=["change"])
    def rerender_failed(self, request: HttpRequest, queryset: QuerySet[Video]) -> None:
        count = 0
        for video in queryset.filter(status=Video.Status.FAILED):
            try:
                video_rerender(video=video, actor=request.user)
                count += 1
            except DomainError as exc:
                self.message_user(request, f"{video}: {exc.message}", messages.WARNING)
        self.message_user(
            request, ngettext("%(count)d render queued.", "%(count)d renders queued.", count) % {"count": count}
        )

    @admin.action(description=_("Delete old version files beyond the plan's limit"), permissions=["delete"])
    def apply_retention(self, request: HttpRequest, queryset: QuerySet[Video]) -> None:
        purged = sum(len(versions_apply_retention(video=video)) for video in queryset.select_related("owner", "team"))
        self.message_user(
            request, ngettext("%(count)d version pruned.", "%(count)d versions pruned.", purged) % {"count": purged}
        )

    @admin.action(description=_("Delete videos with all their files"), permissions=["delete"])
    def delete_with_files(self, request: HttpRequest, queryset: QuerySet[Video]) -> None:
        count = 0
        for video in queryset:
            video_delete(video=video, actor=request.user)
            count += 1
        self.message_user(
            request, ngettext("%(count)d video deleted.", "%(count)d videos deleted.", count) % {"count": count}
        )


@admin.register(VideoVersion)
class VideoVersionAdmin(LargeTableAdmin):
    list_display = [
        "video",
        "number",
        "status",
        "progress",
        "size_bytes",
        "duration_seconds",
        "created_by",
        "created_at",
        "purged_at",
    ]
    list_filter = ["status", ("purged_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["video__title"]
    search_email_fields = ("created_by__email",)
    search_help_text = _("Words of the video's title, or the e-mail address of who made the version.")
    list_select_related = ["video", "created_by"]
    raw_id_fields = ["video", "restored_from", "created_by"]
    ordering = ["-created_at", "-pk"]
    readonly_fields = [f.name for f in VideoVersion._meta.fields]
    actions = ["enqueue_render"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: VideoVersion | None = None) -> bool:
        # The list's action needs "change"; a version itself is written only by the render services.
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: VideoVersion | None = None) -> bool:
        # Deleting here would leave the stored file and could remove the video's current version;
        # old versions go by the retention action (versions_apply_retention).
        return False

    @admin.action(description=_("Send stalled renders to a worker again"), permissions=["change"])
    def enqueue_render(self, request: HttpRequest, queryset: QuerySet[VideoVersion]) -> None:
        from videos.tasks import video_render

        # The sweeper's rule, so staff and the sweeper agree on what is stuck.
        ids = list(queryset.stalled().values_list("pk", flat=True))
        for version_id in ids:
            # Safe to send twice: the task claims a version at most once (stalled ones after a timeout).
            video_render.delay(version_id)
        self.message_user(
            request, ngettext("%(count)d render sent.", "%(count)d renders sent.", len(ids)) % {"count": len(ids)}
        )
        left = queryset.count() - len(ids)
        if left:
            message = ngettext(
                "%(count)d selected render is not stalled and was left alone.",
                "%(count)d selected renders are not stalled and were left alone.",
                left,
            )
            self.message_user(request, message % {"count": left}, messages.WARNING)


@admin.register(MediaAsset)
class MediaAssetAdmin(admin.ModelAdmin):
    list_display = ["slot", "kind", "video", "owner", "size_bytes", "created_at"]
    list_filter = ["kind", "created_at"]
    search_fields = ["video__title", "owner__email", "slot"]
    list_select_related = ["video", "owner"]
    raw_id_fields = ["video", "owner"]

    # Uploaded with their video and deleted with it (video_delete removes the files); no service
    # writes or deletes a single asset, so the console only shows them.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: MediaAsset | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: MediaAsset | None = None) -> bool:
        return False


@admin.register(TemplateImport)
class TemplateImportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "file", "status", "progress_display", "created_count", "error_count", "created_by"]
    list_filter = ["status", "created_at"]
    list_select_related = ["created_by"]
    fields = [
        "file",
        "status",
        "progress_display",
        "total_rows",
        "processed_rows",
        "created_count",
        "message",
        "error_report",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
    ]
    readonly_fields = fields
    change_form_template = "admin/videos/templateimport/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def add_view(self, request: HttpRequest, form_url: str = "", extra_context: dict | None = None) -> HttpResponse:
        return redirect(reverse("admin:videos_template_import"))

    def get_object(self, request: HttpRequest, object_id: str, from_field: str | None = None) -> TemplateImport | None:
        # Through the one access helper; None is the admin's own "does not exist".
        try:
            return template_import_get_for_user(user=request.user, import_id=int(object_id))
        except (NotFound, ValueError):
            return None

    @admin.display(description=_("progress"))
    def progress_display(self, obj: TemplateImport) -> str:
        return f"{obj.progress} %"

    @admin.display(description=_("errors"))
    def error_count(self, obj: TemplateImport) -> int:
        return obj.error_count

    @admin.display(description=_("errors per row"))
    def error_report(self, obj: TemplateImport) -> str:
        if not obj.errors:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((e["row"], e["slug"], "; ".join(e["errors"])) for e in obj.errors),
        )
        return format_html("<table><tr><th>#</th><th>slug</th><th></th></tr>{}</table>", rows)


class BrandingProfileAdminForm(forms.ModelForm):
    class Meta:
        model = BrandingProfile
        fields = list(EDITABLE)

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk and not self.errors:
            changes = {name: cleaned[name] for name in self.changed_data if name in EDITABLE}
            try:
                branding_profile_check_changes(profile=self.instance, changes=changes)
            except DomainError as exc:
                self.add_error(exc.field if exc.field in self.fields else None, str(exc.message))
        return cleaned


@admin.register(BrandingProfile)
class BrandingProfileAdmin(admin.ModelAdmin):
    """Profiles are made on the pages (they need an account's logo upload); staff change, default and delete
    them here through the same services."""

    form = BrandingProfileAdminForm
    list_display = ["name", "owner", "team", "position", "opacity", "scale", "margin", "is_default", "created_at"]
    list_filter = ["position", "is_default", "apply_to_new_renders", "created_at"]
    search_fields = ["name", "owner__email", "team__name"]
    list_select_related = ["owner", "team"]
    readonly_fields = ["owner", "team", "logo_preview", "logo_width", "logo_height", "created_by", "created_at"]
    actions = ["make_default", "delete_with_logos"]

    def get_fields(self, request: HttpRequest, obj: BrandingProfile | None = None) -> list[str]:
        return [*self.readonly_fields, *EDITABLE]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would leave the logos in storage
        return actions

    def save_model(self, request: HttpRequest, obj: BrandingProfile, form: forms.ModelForm, change: bool) -> None:
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name in EDITABLE}
        branding_profile_update(profile=obj, actor=request.user, **changes)

    def delete_model(self, request: HttpRequest, obj: BrandingProfile) -> None:
        branding_profile_delete(profile=obj, actor=request.user)

    @admin.display(description=_("logo"))
    def logo_preview(self, obj: BrandingProfile) -> str:
        return format_html('<img src="{}" alt="" style="max-width: 160px">', obj.logo.url) if obj.logo else "—"

    @admin.action(description=_("Make default for its account"), permissions=["change"])
    def make_default(self, request: HttpRequest, queryset: QuerySet[BrandingProfile]) -> None:
        for profile in queryset:
            branding_profile_set_default(profile=profile, actor=request.user)
        self.message_user(request, _("The selected profiles are now their accounts' defaults."))

    @admin.action(description=_("Delete profiles with their logos"), permissions=["delete"])
    def delete_with_logos(self, request: HttpRequest, queryset: QuerySet[BrandingProfile]) -> None:
        count = 0
        for profile in queryset:
            branding_profile_delete(profile=profile, actor=request.user)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d branding profile deleted.", "%(count)d branding profiles deleted.", count)
            % {"count": count},
        )


# Register the export jobs, the publications and the bulk jobs (see those modules).
from videos import bulk_admin, export_admin, publishing_admin  # noqa: E402, F401
