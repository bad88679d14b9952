from collections.abc import Callable
from typing import Any

from allauth.account.admin import EmailAddressAdmin
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask
from knox.models import AuthToken

from config.admin_lists import LargeTableAdmin
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
    comment_delete,
    comment_resolve,
    comment_unresolve,
    comment_update,
    emails_resend_failed,
    invitation_resend,
    invitation_revoke,
    membership_add,
    membership_change_role,
    membership_remove,
    notification_mark_read,
    notification_preference_set,
    team_create,
    team_delete,
    team_update,
    user_destroy,
    user_update_preferences,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows only services write (logs, figures, deliveries): the console looks, it does not edit."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ThroughServices:
    """For admins whose saves and deletions call the domain services.

    A service's refusal (last owner, seat limit, role ranks …) rolls the whole save back — the
    admin runs each form in one transaction — and comes back as an error message on the form.
    """

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except DomainError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)  # type: ignore[attr-defined]
            return HttpResponseRedirect(request.get_full_path())

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple:
        # The deletion service removes the dependent rows (and their files) by its own rules, so the
        # console's ban on deleting those rows one by one does not stop deleting their parent.
        deleted, model_count, _perms_needed, protected = super().get_deleted_objects(objs, request)  # type: ignore[misc]
        return deleted, model_count, set(), protected

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]
        except DomainError as exc:
            self.message_user(request, str(exc.message), messages.ERROR)  # type: ignore[attr-defined]
            return HttpResponseRedirect(request.get_full_path())

    def each_through_service(self, request: HttpRequest, queryset: Any, service: Any, *, keyword: str) -> int:
        """An action's work: `service(<keyword>=row)` for each selected row, in its own transaction as
        the service is; a refusal is a warning naming the row. The number of rows done."""
        done = 0
        for row in queryset:
            try:
                service(**{keyword: row})
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{row}: {exc.message}", messages.WARNING)  # type: ignore[attr-defined]
        return done


@admin.register(User)
class UserAdmin(ThroughServices, LargeTableAdmin, DjangoUserAdmin):
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
    list_filter = ["is_staff", "is_superuser", "is_active", "language", "country", "date_joined"]
    # Both have a trigram index on UPPER(column) (teams migration 0008).
    search_fields = ["email", "display_name"]
    readonly_fields = ["date_joined", "last_login"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "language", "time_zone", "country"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    PROFILE_FIELDS = ("display_name", "language", "time_zone", "country")

    def save_model(self, request: HttpRequest, obj: User, form: forms.ModelForm, change: bool) -> None:
        # Sign-in and permission fields stay Django's; the profile goes through the service the
        # account page uses, so the change is validated and recorded with staff as its actor.
        profile = {field: getattr(obj, field) for field in self.PROFILE_FIELDS if field in form.changed_data}
        if change and profile:
            stored = User.objects.only(*profile).get(pk=obj.pk)
            for field in profile:
                setattr(obj, field, getattr(stored, field))
        super().save_model(request, obj, form, change)
        if change and profile:
            user_update_preferences(user=obj, actor=request.user, **profile)

    # Deleting through the service lets every app remove the person's content and stored files too.
    def delete_model(self, request: HttpRequest, obj: User) -> None:
        user_destroy(user=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            user_destroy(user=user, actor=request.user)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(LargeTableAdmin):
    list_display = ["created_at", "subject", "recipients", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "created_at"]
    # The kind is shown, not filtered or searched: its distinct values would be a read of every row,
    # and an OR of it with the subject's trigram index makes the planner read the table.
    search_fields = ["subject"]
    search_help_text = _("A recipient's e-mail address, or words of the subject.")
    # Never the content: it holds live links (password resets, invitations) until it is erased.
    fields = ["to", "from_email", "subject", "kind", "status", "attempts", "last_error", "created_at", "sent_at"]
    readonly_fields = fields
    actions = ["resend"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutboundEmail]:
        return super().get_queryset(request).defer("sealed_content")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[OutboundEmail], search_term: str
    ) -> tuple[QuerySet[OutboundEmail], bool]:
        term = search_term.strip()
        if "@" in term:  # the GIN index on `to` (jsonb containment)
            return queryset.filter(to__contains=[term.lower()]), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("recipients"))
    def recipients(self, obj: OutboundEmail) -> str:
        return ", ".join(obj.to)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send again (failed e-mails)"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[OutboundEmail]) -> None:
        count = emails_resend_failed(email_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count) % {"count": count},
            messages.SUCCESS,
        )


def _membership_count(**conditions: str) -> Coalesce:
    counted = (
        Membership.objects.filter(team=OuterRef("pk"), **conditions)
        .order_by()
        .values("team")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(counted), 0)


class MembershipInlineFormSet(BaseInlineFormSet):
    """Saved by `TeamAdmin.save_formset` through the membership services, never by `save()`."""

    def save(self, commit: bool = True) -> list[Membership]:
        raise NotImplementedError("Memberships are written by TeamAdmin.save_formset through the services.")


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


class TeamAddForm(forms.ModelForm):
    owner = forms.ModelChoiceField(
        label=_("First owner"),
        queryset=User.objects.filter(is_active=True),
        help_text=_("A team always has at least one owner."),
    )

    class Meta:
        model = Team
        fields = ["name", "language"]


@admin.register(Team)
class TeamAdmin(ThroughServices, LargeTableAdmin):
    list_display = ["name", "slug", "language", "member_count", "owner_count", "created_by", "created_at"]
    list_filter = ["language", "created_at"]
    # Trigram indexes on UPPER(name) and UPPER(slug) (teams migration 0008); a member's address exactly.
    search_fields = ["name", "slug"]
    search_email_fields = ("memberships__user__email",)
    search_help_text = _("Words of the name or slug, or a member's e-mail address.")
    # The slug is made by team_create and is part of every team URL; nothing edits it later.
    readonly_fields = ["slug", "created_at", "created_by"]
    inlines = [MembershipInline, InvitationInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return (
            super()
            .get_queryset(request)
            .select_related("created_by")
            # Counted per listed team (a subquery each), not grouped over every team and membership.
            .annotate(_members=_membership_count(), _owners=_membership_count(role=Membership.Role.OWNER))
        )

    def get_form(self, request: HttpRequest, obj: Team | None = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = TeamAddForm
            kwargs["fields"] = ["name", "language", "owner"]
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Team | None = None) -> list[str]:
        if obj is None:
            return ["name", "language", "owner"]
        return ["name", "slug", "language", "created_by", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Team | None = None) -> list[str]:
        return [] if obj is None else self.readonly_fields

    @admin.display(description=_("members"), ordering="_members")
    def member_count(self, obj: Team) -> int:
        return obj._members

    @admin.display(description=_("owners"), ordering="_owners")
    def owner_count(self, obj: Team) -> int:
        return obj._owners

    def save_model(self, request: HttpRequest, obj: Team, form: forms.ModelForm, change: bool) -> None:
        if not change:
            team = team_create(creator=form.cleaned_data["owner"], name=obj.name, language=obj.language)
            # The admin keeps working with `obj` (inlines, log entry, redirect): make it the created team.
            obj.__dict__.update(team.__dict__)
            return
        stored = Team.objects.get(pk=obj.pk)  # `obj` already carries the edits; the service compares
        team_update(team=stored, actor=request.user, name=obj.name, language=obj.language)

    def save_formset(self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        team, actor = form.instance, request.user
        added, changed, removed = [], [], []
        # Additions first and removals last, so promoting a new owner before demoting the old one works.
        for row in formset.forms:
            data = row.cleaned_data
            if not data or row.instance.pk is not None or data.get("DELETE"):
                continue
            added.append(membership_add(team=team, actor=actor, user=data["user"], role=data["role"]))
        for row in formset.initial_forms:
            data = row.cleaned_data
            if not data or data.get("DELETE") or not row.has_changed():
                continue
            if "user" in row.changed_data:
                raise DomainError(_("To replace a member, remove them and add the other person."))
            if "role" in row.changed_data:
                membership_change_role(membership=row.instance, actor=actor, role=data["role"])
                changed.append((row.instance, ["role"]))
        for row in formset.initial_forms:
            if row.cleaned_data and row.cleaned_data.get("DELETE"):
                membership_remove(membership=row.instance, actor=actor)
                removed.append(row.instance)
        # What construct_change_message reads from a saved formset.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = added, changed, removed

    # Deleting here goes through the service too, so the team's content leaves storage as well.
    def delete_model(self, request: HttpRequest, obj: Team) -> None:
        team_delete(team=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Team]) -> None:
        for team in queryset:
            team_delete(team=team, actor=request.user)


@admin.register(Membership)
class MembershipAdmin(ThroughServices, admin.ModelAdmin):
    list_display = ["user", "team", "role", "created_at"]
    list_filter = ["role", "created_at"]
    search_fields = ["user__email", "user__display_name", "team__name", "team__slug"]
    list_select_related = ["user", "team"]
    autocomplete_fields = ["user", "team"]

    def get_readonly_fields(self, request: HttpRequest, obj: Membership | None = None) -> list[str]:
        # A membership is one person in one team: to move someone, remove them and add them elsewhere.
        return ["created_at"] if obj is None else ["user", "team", "created_at"]

    def save_model(self, request: HttpRequest, obj: Membership, form: forms.ModelForm, change: bool) -> None:
        if not change:
            membership = membership_add(team=obj.team, actor=request.user, user=obj.user, role=obj.role)
            obj.__dict__.update(membership.__dict__)
        elif "role" in form.changed_data:
            membership_change_role(membership=obj, actor=request.user, role=obj.role)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_remove(membership=obj, actor=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("team", "user"):
            try:
                membership_remove(membership=membership, actor=request.user)
            except DomainError as exc:
                self.message_user(request, f"{membership.user.email}: {exc.message}", messages.ERROR)


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

    def has_delete_permission(self, request: HttpRequest, obj: Invitation | None = None) -> bool:
        return False  # the "Revoke" action ends one through invitation_revoke, which keeps the record

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

    @admin.action(description=_("Re-send (new link, 7 more days)"), permissions=["change"])
    def resend(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        count = self._each(request, queryset, invitation_resend)
        message = ngettext("%(count)d invitation sent again.", "%(count)d invitations sent again.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Revoke"), permissions=["change"])
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

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False  # the recipient's own; no service deletes one

    @admin.display(description=_("text"))
    def rendered(self, obj: Notification) -> str:
        return obj.text

    @admin.action(description=_("Mark as read"), permissions=["change"])
    def mark_read(self, request: HttpRequest, queryset: QuerySet[Notification]) -> None:
        count = 0
        for notification in queryset.filter(read_at=None):
            notification_mark_read(notification=notification)
            count += 1
        message = ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
        self.message_user(request, message % {"count": count}, messages.SUCCESS)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ThroughServices, admin.ModelAdmin):
    list_display = ["user", "kind", "in_app", "email", "push"]
    list_filter = ["kind", "in_app", "email", "push"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request: HttpRequest, obj: NotificationPreference | None = None) -> list[str]:
        # A saved row is one person's choice for one kind; another person or kind is another row.
        return ["user", "kind"] if obj is not None else []

    def save_model(
        self, request: HttpRequest, obj: NotificationPreference, form: forms.ModelForm, change: bool
    ) -> None:
        # Through the service, which allows only the kinds this person may choose.
        obj.pk = notification_preference_set(
            user=obj.user, kind=obj.kind, email=obj.email, in_app=obj.in_app, push=obj.push
        ).pk


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
class CommentAdmin(ThroughServices, admin.ModelAdmin):
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
    # Comments are written on the video page; the console may correct a text (through comment_update,
    # which also works out the mentions again), resolve threads and delete.
    fields = ["video", "author", "parent", "timestamp_seconds", "body", "created_at", "edited_at", "resolved_at"]
    readonly_fields = ["video", "author", "parent", "timestamp_seconds", "created_at", "edited_at", "resolved_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Comment, form: forms.ModelForm, change: bool) -> None:
        if "body" in form.changed_data:
            comment_update(comment=Comment.objects.get(pk=obj.pk), body=obj.body)

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

    def delete_model(self, request: HttpRequest, obj: Comment) -> None:
        comment_delete(comment=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        for comment in queryset:
            comment_delete(comment=comment)

    def _mark(self, request: HttpRequest, queryset: QuerySet[Comment], *, resolved: bool) -> int:
        count = 0
        for comment in queryset.filter(parent__isnull=True, resolved_at__isnull=resolved):
            (comment_resolve if resolved else comment_unresolve)(comment=comment, actor=request.user)
            count += 1
        return count

    @admin.action(description=_("Resolve the selected threads"), permissions=["change"])
    def resolve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = self._mark(request, queryset, resolved=True)
        self.message_user(
            request, ngettext("%(count)d thread resolved.", "%(count)d threads resolved.", count) % {"count": count}
        )

    @admin.action(description=_("Reopen the selected threads"), permissions=["change"])
    def unresolve(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        count = self._mark(request, queryset, resolved=False)
        self.message_user(
            request, ngettext("%(count)d thread reopened.", "%(count)d threads reopened.", count) % {"count": count}
        )


# knox registers its tokens with an add form that shows the new key: anyone allowed to add tokens
# could then act through the API as any person, staff included. Tokens are managed by their owners
# (settings page and API) only.
admin.site.unregister(AuthToken)


def _with_actions_gated(admin_class: type[admin.ModelAdmin], permission: str = "change") -> type[admin.ModelAdmin]:
    """The same admin, its actions offered only to staff with `permission` on the model.

    Django offers an action without `allowed_permissions` to anyone who may view the list: in
    these third-party admins, "view" staff could mark addresses verified or run scheduled tasks.
    """
    gated: dict[str, Any] = {}
    for name in admin_class.actions or ():
        original = getattr(admin_class, name)

        def action(self: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, _original: Any = original) -> Any:
            return _original(self, request, queryset)

        action.__name__ = name
        gated[name] = admin.action(description=getattr(original, "short_description", None), permissions=[permission])(
            action
        )
    return type(admin_class.__name__, (admin_class,), gated)


for _model, _admin_class in [(EmailAddress, EmailAddressAdmin), (PeriodicTask, PeriodicTaskAdmin)]:
    admin.site.unregister(_model)
    admin.site.register(_model, _with_actions_gated(_admin_class))

from teams import push_admin  # noqa: E402, F401 (registers the web push admins)
