from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from knox.models import AuthToken

from config.errors import DomainError
from teams.models import (
    Comment,
    Invitation,
    Membership,
    Notification,
    NotificationPreference,
    OutboundEmail,
    Team,
    User,
)
from teams.services import (
    comment_resolve,
    comment_unresolve,
    emails_resend_failed,
    invitation_resend,
    invitation_revoke,
    membership_change_role,
    membership_remove,
    team_destroy,
    user_destroy,
)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["-date_joined"]
    list_display = [
        "email",
        "display_name",
        "language",
        "time_zone",
        "is_staff",
        "is_active",
        "date_joined",
        "last_login",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "language", "date_joined"]
    search_fields = ["email", "display_name"]
    date_hierarchy = "date_joined"
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "language", "time_zone"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]

    # Deleting through the service lets every app remove the person's content and stored files too.
    def delete_model(self, request: HttpRequest, obj: User) -> None:
        user_destroy(user=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            user_destroy(user=user, actor=request.user)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "subject", "recipients", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["subject", "to", "kind"]
    date_hierarchy = "created_at"
    # Never the content: it holds live links (password resets, invitations) until it is erased.
    fields = ["to", "from_email", "subject", "kind", "status", "attempts", "last_error", "created_at", "sent_at"]
    readonly_fields = fields
    actions = ["resend"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboundEmail]:
        return super().get_queryset(request).defer("sealed_content")

    @admin.display(description=_("recipients"))
    def recipients(self, obj: OutboundEmail) -> str:
        return ", ".join(obj.to)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send again (failed e-mails)"))
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboundEmail]) -> None:
        count = emails_resend_failed(email_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count) % {"count": count},
            messages.SUCCESS,
        )


class MembershipInlineFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        if not self.instance.pk:
            return
        roles = [
            form.cleaned_data.get("role")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if Membership.Role.OWNER not in roles:
            raise ValidationError(_("A team needs at least one owner."))


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipInlineFormSet
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]


class InvitationInline(admin.TabularInline):
    model = Invitation
    extra = 0
    can_delete = False
    fields = ["email", "role", "status_label", "sent_at", "expires_at", "accepted_by"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    @admin.display(description=_("status"))
    def status_label(self, obj: Invitation) -> str:
        return obj.get_status_display()


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "language", "member_count", "owner_count", "created_by", "created_at"]
    list_filter = ["language", "created_at"]
    search_fields = ["name", "slug", "memberships__user__email"]
    date_hierarchy = "created_at"
    readonly_fields = ["created_at", "created_by"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline, InvitationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            .annotate(
                _members=Count("memberships", distinct=True),
                _owners=Count("memberships", filter=Q(memberships__role=Membership.Role.OWNER), distinct=True),
            )
        )

    @admin.display(description=_("members"), ordering="_members")
    def member_count(self, obj: Team) -> int:
        return obj._members

    @admin.display(description=_("owners"), ordering="_owners")
    def owner_count(self, obj: Team) -> int:
        return obj._owners

    def save_model(self, request: HttpRequest, obj: Team, form: object, change: bool) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    # Deleting here goes through the service too, so the team's content leaves storage as well.
    def delete_model(self, request: HttpRequest, obj: Team) -> None:
        team_destroy(team=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Team]) -> None:
        for team in queryset:
            team_destroy(team=team, actor=request.user)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "role", "created_at"]
    list_filter = ["role", "created_at"]
    search_fields = ["user__email", "user__display_name", "team__name", "team__slug"]
    list_select_related = ["user", "team"]
    autocomplete_fields = ["user", "team"]
    readonly_fields = ["created_at"]

    def save_model(self, request: HttpRequest, obj: Membership, form: object, change: bool) -> None:
        # The role rules (last owner) hold in the ops console too: route role changes through the service.
        if change and "role" in getattr(form, "changed_data", []):
            new_role = obj.role
            obj.role = Membership.objects.values_list("role", flat=True).get(pk=obj.pk)
            try:
                membership_change_role(membership=obj, actor=request.user, role=new_role)
            except DomainError as exc:
                self.message_user(request, str(exc.message), messages.ERROR)
            return
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        try:
            membership_remove(membership=obj, actor=request.user)
        except DomainError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)


class InvitationStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return list(Invitation.Status.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> QuerySet[Invitation]:
        now = timezone.now()
        open_ = Q(accepted_at=None, revoked_at=None)
        match self.value():
            case Invitation.Status.PENDING:
                return queryset.filter(open_, expires_at__gt=now)
            case Invitation.Status.EXPIRED:
                return queryset.filter(open_, expires_at__lte=now)
            case Invitation.Status.ACCEPTED:
                return queryset.exclude(accepted_at=None)
            case Invitation.Status.REVOKED:
                return queryset.filter(accepted_at=None).exclude(revoked_at=None)
        return queryset


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "team", "role", "status_label", "invited_by", "sent_at", "send_count", "expires_at"]
    list_filter = [InvitationStatusFilter, "role", "created_at"]
    search_fields = ["email", "team__name", "team__slug", "invited_by__email"]
    list_select_related = ["team", "invited_by"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Invitation._meta.fields]
    actions = ["resend", "revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # invitations are made by team managers, with the seat check and the e-mail

    @admin.display(description=_("status"))
    def status_label(self, obj: Invitation) -> str:
        return obj.get_status_display()

    def _each(self, request: HttpRequest, queryset: QuerySet[Invitation], service: Callable[..., object]) -> int:
        count = 0
        for invitation in queryset.select_related("team", "invited_by"):
            try:
                service(invitation=invitation, actor=request.user)
                count += 1
            except DomainError as exc:
                self.message_user(request, f"{invitation.email}: {exc.message}", messages.WARNING)
        return count

    @admin.action(description=_("Re-send (new link, 7 more days)"))
    def resend(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        count = self._each(request, queryset, invitation_resend)
        message = ngettext("%(count)d invitation sent again.", "%(count)d invitations sent again.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Revoke"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        count = self._each(request, queryset, invitation_revoke)
        message = ngettext("%(count)d invitation revoked.", "%(count)d invitations revoked.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


class NotificationReadFilter(admin.SimpleListFilter):
    title = _("read")
    parameter_name = "read"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("no", _("Unread")), ("yes", _("Read"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Notification]) -> QuerySet[Notification]:
        if self.value() == "no":
            return queryset.filter(read_at=None)
        if self.value() == "yes":
            return queryset.exclude(read_at=None)
        return queryset


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "kind", "rendered", "read_at"]
    list_filter = ["kind", NotificationReadFilter, "created_at"]
    search_fields = ["recipient__email", "kind"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = ["recipient", "kind", "params", "target_url", "created_at", "read_at"]
    actions = ["mark_read"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # sent by the apps through teams.services.notification_send

    @admin.display(description=_("text"))
    def rendered(self, obj: Notification) -> str:
        return obj.text

    @admin.action(description=_("Mark as read"))
    def mark_read(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = queryset.filter(read_at=None).update(read_at=timezone.now())
        message = ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "email"]
    list_filter = ["kind", "email"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


class CommentResolvedFilter(admin.SimpleListFilter):
    title = _("resolved")
    parameter_name = "resolved"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("yes", _("Resolved")), ("no", _("Open"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        if self.value() in ("yes", "no"):
            return queryset.filter(resolved_at__isnull=self.value() == "no")
        return queryset


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "short_body",
        "video",
        "team",
        "author",
        "timestamp_seconds",
        "is_reply",
        "resolved_at",
        "created_at",
    ]
    list_filter = [CommentResolvedFilter, ("video__team", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["body", "author__email", "author__display_name", "video__title"]
    date_hierarchy = "created_at"
    list_select_related = ["video__team", "author"]
    raw_id_fields = ["video", "author", "parent", "resolved_by"]
    filter_horizontal = ["mentions"]
    readonly_fields = ["created_at", "edited_at", "resolved_at", "resolved_by"]
    actions = ["resolve", "unresolve"]

    @admin.display(description=_("text"))
    def short_body(self, obj: Comment) -> str:
        return obj.body if len(obj.body) <= 80 else obj.body[:79] + "…"

    @admin.display(description=_("team"), ordering="video__team__name")
    def team(self, obj: Comment) -> str:
        return obj.video.team.name if obj.video.team_id else "—"

    @admin.display(description=_("reply"), boolean=True)
    def is_reply(self, obj: Comment) -> bool:
        return obj.parent_id is not None

    def _mark(self, request: HttpRequest, queryset: QuerySet[Comment], *, resolved: bool) -> int:
        count = 0
        for comment in queryset.filter(parent__isnull=True, resolved_at__isnull=resolved):
            (comment_resolve if resolved else comment_unresolve)(comment=comment, actor=request.user)
            count += 1
        return count

    @admin.action(description=_("Resolve the selected threads"))
    def resolve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = self._mark(request, queryset, resolved=True)
        self.message_user(
            request, ngettext("%(count)d thread resolved.", "%(count)d threads resolved.", count) % {"count": count}
        )

    @admin.action(description=_("Reopen the selected threads"))
    def unresolve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = self._mark(request, queryset, resolved=False)
        self.message_user(
            request, ngettext("%(count)d thread reopened.", "%(count)d threads reopened.", count) % {"count": count}
        )


# knox registers its tokens with an add form that shows the new key: anyone allowed to add tokens
# could then act through the API as any person, staff included. Tokens are managed by their owners
# (settings page and API) only.
admin.site.unregister(AuthToken)
