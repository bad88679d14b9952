"""Team pages: list, create, members and roles, invitations, settings, delete; the workspace switch."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError
from config.pagination import keyset_page
from teams import selectors, services
from teams import workspaces as ws
from teams.forms import InvitationForm, RoleForm, TeamForm
from teams.models import Invitation, Team
from teams.permissions import (
    Action,
    Role,
    invitation_get_for_user,
    membership_get_for_user,
    role_allows,
    role_can_manage,
    roles_assignable_by,
    team_get_for_user,
)

# 20 rows, as every other list: each row of these two renders one to three forms (a role select, a
# remove, a re-send and a revoke), which is most of the page's time.
MEMBERS_PER_PAGE = 20
INVITATIONS_PER_PAGE = 20


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.team_list_for_user(user=request.user), 20).get_page(request.GET.get("page"))
    for team in page:
        team.role_label = Role(team.role).label
    invitations = list(selectors.invitation_list_for_email(user=request.user)[:20])
    return render(request, "teams/team_list.html", {"page": page, "invitations": invitations})


@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    form = TeamForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(creator=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            ws.workspace_switch(request, team=team)
            messages.success(request, _("Team %(name)s created. Invite your teammates below.") % {"name": team.name})
            return redirect("team_detail", slug=team.slug)
    return render(request, "teams/team_form.html", {"form": form})


def _detail_context(request: HttpRequest, team: Team, invite_form: InvitationForm | None = None) -> dict[str, Any]:
    can_manage = role_allows(team.role, Action.MANAGE_MEMBERS)
    # Both lists page by cursor (no count, no offset): an agency's team has hundreds of members and
    # thousands of invitations waiting.
    members = keyset_page(
        selectors.membership_list_for_team(team=team), per_page=MEMBERS_PER_PAGE, cursor=request.GET.get("cursor")
    )
    for membership in members:
        membership.manageable = can_manage and role_can_manage(actor_role=team.role, target_role=membership.role)
    invitations = None
    if can_manage:
        invitations = keyset_page(
            selectors.invitation_list_pending_for_team(team=team),
            per_page=INVITATIONS_PER_PAGE,
            cursor=request.GET.get("icursor"),
        )
    roles = roles_assignable_by(team.role)
    return {
        "team": team,
        "role_label": Role(team.role).label,
        "members": members,
        "invitations": invitations,
        "can_manage": can_manage,
        "is_owner": team.role == Role.OWNER,
        "assignable_roles": [(r, label) for r, label in Role.choices if r in roles],
        "invite_form": invite_form or InvitationForm(roles=roles),
        "settings_form": TeamForm(initial={"name": team.name, "language": team.language}) if can_manage else None,
        "seats_used": services.seats_used(team=team) if can_manage else None,
    }


@login_required
def team_detail(request: HttpRequest, slug: str) -> HttpResponse:
    team = team_get_for_user(user=request.user, slug=slug)
    return render(request, "teams/team_detail.html", _detail_context(request, team))


@login_required
@require_POST
def invitation_create(request: HttpRequest, slug: str) -> HttpResponse:
    team = team_get_for_user(user=request.user, slug=slug, action=Action.MANAGE_MEMBERS)
    form = InvitationForm(request.POST, roles=roles_assignable_by(team.role))
    if form.is_valid():
        try:
            invitation = services.invitation_create(team=team, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("team_detail", slug=team.slug)
    return render(request, "teams/team_detail.html", _detail_context(request, team, invite_form=form), status=400)


def _invitation_for(request: HttpRequest, slug: str, pk: int) -> Invitation:
    return invitation_get_for_user(user=request.user, slug=slug, invitation_id=pk)


def _run(request: HttpRequest, action: Callable[[], object], success: str) -> None:
    """Run one service call; its domain refusal becomes an error message, success a success message."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, success)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    invitation = _invitation_for(request, slug, pk)
    _run(
        request,
        lambda: services.invitation_resend(invitation=invitation, actor=request.user),
        _("Invitation sent again to %(email)s.") % {"email": invitation.email},
    )
    return redirect("team_detail", slug=slug)


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    invitation = _invitation_for(request, slug, pk)
    _run(
        request,
        lambda: services.invitation_revoke(invitation=invitation, actor=request.user),
        _("The invitation for %(email)s was revoked.") % {"email": invitation.email},
    )
    return redirect("team_detail", slug=slug)


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    membership = membership_get_for_user(user=request.user, slug=slug, user_id=user_id, action=Action.MANAGE_MEMBERS)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        _run(
            request,
            lambda: services.membership_change_role(membership=membership, actor=request.user, **form.cleaned_data),
            _("%(name)s is now %(role)s.")
            % {"name": membership.user.name, "role": Role(form.cleaned_data["role"]).label},
        )
    return redirect("team_detail", slug=slug)


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    membership = membership_get_for_user(user=request.user, slug=slug, user_id=user_id, action=Action.MANAGE_MEMBERS)
    _run(
        request,
        lambda: services.membership_remove(membership=membership, actor=request.user),
        _("%(name)s was removed from the team.") % {"name": membership.user.name},
    )
    return redirect("team_detail", slug=slug)


@login_required
@require_POST
def team_leave(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_get_for_user(user=request.user, slug=slug, user_id=request.user.pk)
    team = membership.team
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("team_detail", slug=slug)
    messages.success(request, _("You left %(team)s.") % {"team": team.name})
    return redirect("team_list")


@login_required
@require_POST
def team_settings(request: HttpRequest, slug: str) -> HttpResponse:
    team = team_get_for_user(user=request.user, slug=slug, action=Action.MANAGE_MEMBERS)
    form = TeamForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.team_update(team=team, actor=request.user, **form.cleaned_data),
            _("The team settings were saved."),
        )
    else:
        messages.error(request, _("Check the team name and language."))
    return redirect("team_detail", slug=slug)


@login_required
def team_delete(request: HttpRequest, slug: str) -> HttpResponse:
    team = team_get_for_user(user=request.user, slug=slug, action=Action.DELETE_TEAM)
    if request.method == "POST":
        name = team.name
        services.team_delete(team=team, actor=request.user)
        messages.success(request, _("The team %(name)s was deleted.") % {"name": name})
        return redirect("team_list")
    return render(request, "teams/team_confirm_delete.html", {"team": team})


@login_required
@require_POST
def workspace_switch(request: HttpRequest) -> HttpResponse:
    """Switch between the personal space ("") and one of the user's teams."""
    team_id = request.POST.get("team", "")
    if team_id:
        try:
            team = team_get_for_user(user=request.user, team_id=int(team_id))
        except ValueError as exc:
            raise Http404 from exc
        ws.workspace_switch(request, team=team)
    else:
        ws.workspace_switch(request, team=None)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "dashboard"
    return redirect(next_url)
