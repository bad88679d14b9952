"""Accepting an invitation: from the e-mail link (signed in or not), or from the teams page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from config.errors import DomainError, NotFound
from teams import services
from teams import workspaces as ws
from teams.adapters import INVITATION_SESSION_KEY, AccountAdapter
from teams.models import Invitation, Membership
from teams.permissions import invitation_get_for_invitee, user_has_email


def _landed(request: HttpRequest, membership: Membership) -> HttpResponse:
    request.session.pop(INVITATION_SESSION_KEY, None)
    request.session.pop("account_verified_email", None)  # the stash served its purpose
    ws.workspace_switch(request, team=membership.team)
    messages.success(
        request,
        _("Welcome to %(team)s! You joined as %(role)s.")
        % {"team": membership.team.name, "role": membership.get_role_display()},
    )
    return redirect("team_detail", slug=membership.team.slug)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mail link; signed-out visitors are sent through signup or login and come back."""
    try:
        invitation = services.invitation_get_by_token(token=token)
    except NotFound:
        request.session.pop(INVITATION_SESSION_KEY, None)  # a dead link must not come back after signup
        raise
    return _invitation_page(request, invitation)


def invitation_pending(request: HttpRequest) -> HttpResponse:
    """The invitation a signed-out visitor opened, after signup or login (kept in the session)."""
    kept = request.session.get(INVITATION_SESSION_KEY) or {}
    try:
        invitation = services.invitation_get_by_token_hash(
            invitation_id=int(kept.get("id") or 0), hashed=str(kept.get("token_hash") or "")
        )
    except NotFound:
        request.session.pop(INVITATION_SESSION_KEY, None)
        raise
    return _invitation_page(request, invitation)


def _invitation_page(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    refusal = services.invitation_refusal(invitation=invitation)
    context = {"invitation": invitation, "refusal": refusal}
    if refusal:
        request.session.pop(INVITATION_SESSION_KEY, None)
        return render(request, "teams/invitation_accept.html", context, status=410)
    user = request.user
    if not user.is_authenticated:
        # Remember the invitation through signup/login (the adapter sends the person back to it),
        # and vouch for the invited address: whoever holds this link received the e-mail. The
        # session keeps the token's hash, not the token, and signup/login return to the pending
        # page rather than the link, so neither the session table nor allauth's stash holds it.
        request.session[INVITATION_SESSION_KEY] = {"id": invitation.pk, "token_hash": invitation.token_hash}
        AccountAdapter(request).stash_verified_email(request, invitation.email)
        here = reverse("invitation_pending")
        context["signup_url"] = f"{reverse('account_signup')}?next={here}"
        context["login_url"] = f"{reverse('account_login')}?next={here}"
        return render(request, "teams/invitation_accept.html", context)
    context["wrong_user"] = not user_has_email(user=user, email=invitation.email)
    context["already_member"] = Membership.objects.filter(team=invitation.team, user=user).exists()
    if request.method == "POST":
        # A refusal here (wrong person, already a member, a race with a revoke) is nothing the
        # person can correct on this page: the middleware answers it with its status and message.
        membership = services.invitation_accept(invitation=invitation, user=user)
        return _landed(request, membership)
    return render(request, "teams/invitation_accept.html", context, status=403 if context["wrong_user"] else 200)


@login_required
@require_POST
def invitation_accept_mine(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept an invitation addressed to the signed-in person from the teams page."""
    invitation = invitation_get_for_invitee(user=request.user, invitation_id=pk)
    try:
        membership = services.invitation_accept(invitation=invitation, user=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("team_list")
    return _landed(request, membership)
