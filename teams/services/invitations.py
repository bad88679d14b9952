"""Invitations: invite by e-mail, re-send, revoke, accept.

The token is `secrets.token_urlsafe(32)`; only its SHA-256 is stored, so re-sending makes a new
token (the old link stops working) and the link in the latest e-mail is the only way in.
"""

import hashlib
import secrets
from datetime import UTC, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from billing import limits
from config.errors import DomainError, NotFound, PermissionDenied, RateLimited
from insights.event_names import EventName
from insights.events import record_event
from teams.models import Invitation, Membership, Team, User
from teams.notification_kinds import NotificationKind
from teams.permissions import Action, require_team_role, role_can_manage, user_has_email
from teams.services.emails import email_queue
from teams.services.memberships import lock_team, notify_managers_of_new_member, seats_used

INVITATION_VALID_FOR = timedelta(days=7)

# Every invitation mail goes to a stranger in the team's name (chosen by whoever made the team):
# enough for a lost or expired invitation, too few to use a team as a spam relay. Creates count
# like re-sends, since revoking frees the seat and create→revoke→create would otherwise be
# unlimited; the per-address count stops several throwaway teams from taking turns on one victim.
RESENDS_PER_INVITATION = 3
INVITATION_MAILS_PER_TEAM = 20
INVITATION_MAILS_PER_ADDRESS = 3
RESEND_WINDOW = timedelta(hours=24)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_accept_url(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("invitation_accept", kwargs={"token": token})


def _count_within_limit(key: str, *, limit: int) -> bool:
    """Count one more use of `key` in the current window; False once past `limit`.

    A fixed window kept in the shared cache (where allauth's login limits and the API throttles
    keep theirs): the first use starts it, and it ends RESEND_WINDOW later.
    """
    cache.add(key, 0, timeout=int(RESEND_WINDOW.total_seconds()))
    try:
        return cache.incr(key) <= limit
    except ValueError:  # the window ended between add() and incr(): this use starts a new one
        cache.set(key, 1, timeout=int(RESEND_WINDOW.total_seconds()))
        return True


def _check_mail_limits(*, team_id: int, email: str) -> None:
    """Count one invitation mail from the team to `email`; RateLimited past either daily limit."""
    if not _count_within_limit(f"invitation-mail-team:{team_id}", limit=INVITATION_MAILS_PER_TEAM):
        raise RateLimited(_("Your team has sent too many invitations today. Try again tomorrow."))
    # Keyed by a hash so the cache holds no address.
    address_key = hashlib.sha256(email.lower().encode()).hexdigest()
    if not _count_within_limit(f"invitation-mail-to:{address_key}", limit=INVITATION_MAILS_PER_ADDRESS):
        raise RateLimited(_("%(email)s cannot receive more invitations today. Try again tomorrow.") % {"email": email})


def _check_resend_limits(invitation: Invitation) -> None:
    if not _count_within_limit(f"invitation-resend:{invitation.pk}", limit=RESENDS_PER_INVITATION):
        raise RateLimited(_("This invitation was sent again too many times today. Try again tomorrow."))
    _check_mail_limits(team_id=invitation.team_id, email=invitation.email)


def _send_invitation_email(*, invitation: Invitation, token: str) -> None:
    team = invitation.team
    inviter = invitation.invited_by
    # The invitee's time zone is unknown: say the time in UTC, and say so. Lazy, so the month
    # name is written in the e-mail's language.
    expires_label = lazy(
        lambda: date_format(timezone.localtime(invitation.expires_at, UTC), "DATETIME_FORMAT") + " UTC", str
    )
    email_queue(
        to=invitation.email,
        template="teams/email/invitation",
        context={
            "team": team,
            "inviter_name": inviter.name if inviter else "Video Creator",
            "role": Membership.Role(invitation.role).label,
            "accept_url": invitation_accept_url(token),
            "expires_label": expires_label(),
        },
        # The invitee may not have an account (or a language) yet: the team's language it is.
        language=team.language,
    )


def _notify_existing_user(*, invitation: Invitation, actor: User) -> None:
    from teams.services.notifications import notification_send

    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        return
    notification_send(
        recipient=user,
        kind=NotificationKind.INVITATION,
        params={"actor": actor.name, "team": invitation.team.name, "role": invitation.role},
        target_url=reverse("team_list"),
        email=False,  # the invitation e-mail itself already went out
    )


@transaction.atomic
def invitation_create(*, team: Team, actor: User, email: str, role: str) -> Invitation:
    """Invite `email` to the team with `role` and send the invitation e-mail."""
    actor_role = require_team_role(actor=actor, team=team, action=Action.MANAGE_MEMBERS)
    email = User.objects.normalize_email(email.strip()).lower()
    if role not in Membership.Role.values:
        raise DomainError(_("Choose a valid role."), field="role")
    if not role_can_manage(actor_role=actor_role, target_role=role):
        raise PermissionDenied(_("Only owners can invite someone as an owner."))
    lock_team(team)  # concurrent invitations must not both take the last seat
    if Membership.objects.filter(team=team, user__email__iexact=email).exists():
        raise DomainError(_("%(email)s is already a member of this team.") % {"email": email}, field="email")
    open_invitation = (
        Invitation.objects.select_for_update()
        .filter(team=team, email__iexact=email, accepted_at=None, revoked_at=None)
        .first()
    )
    if open_invitation is not None:
        if open_invitation.status == Invitation.Status.PENDING:
            raise DomainError(
                _("%(email)s has already been invited. You can re-send the invitation instead.") % {"email": email},
                field="email",
            )
        # Expired: close it so the new one can take its place.
        open_invitation.revoked_at = timezone.now()
        open_invitation.save(update_fields=["revoked_at"])
    limits.check(team, limits.Limit.TEAM_SEATS, used=seats_used(team=team))
    _check_mail_limits(team_id=team.pk, email=email)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        team=team,
        email=email,
        role=role,
        token_hash=token_hash(token),
        invited_by=actor,
        created_at=now,
        sent_at=now,
        expires_at=now + INVITATION_VALID_FOR,
    )
    record_event(name=EventName.TEAM_INVITATION_SENT, actor=actor, subject=team, payload={"email": email, "role": role})
    _send_invitation_email(invitation=invitation, token=token)
    _notify_existing_user(invitation=invitation, actor=actor)
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, actor: User) -> Invitation:
    """Send a pending or expired invitation again, with a new link valid for another 7 days."""
    team = invitation.team
    require_team_role(actor=actor, team=team, action=Action.MANAGE_MEMBERS)
    lock_team(team)
    invitation = (
        Invitation.objects.select_for_update(of=("self",)).select_related("team", "invited_by").get(pk=invitation.pk)
    )
    if invitation.status == Invitation.Status.ACCEPTED:
        raise DomainError(_("This invitation was already accepted."))
    if invitation.status == Invitation.Status.REVOKED:
        raise DomainError(_("This invitation was revoked. Invite the person again instead."))
    if invitation.status == Invitation.Status.EXPIRED:
        # An expired invitation gave its seat back; it needs a free one again.
        limits.check(team, limits.Limit.TEAM_SEATS, used=seats_used(team=team, exclude=invitation))
    _check_resend_limits(invitation)
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation.token_hash = token_hash(token)
    invitation.sent_at = now
    invitation.expires_at = now + INVITATION_VALID_FOR
    invitation.send_count += 1
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "send_count"])
    record_event(
        name=EventName.TEAM_INVITATION_SENT,
        actor=actor,
        subject=team,
        payload={"email": invitation.email, "role": invitation.role, "resent": True},
    )
    _send_invitation_email(invitation=invitation, token=token)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw an invitation that has not been accepted; its link stops working."""
    require_team_role(actor=actor, team=invitation.team, action=Action.MANAGE_MEMBERS)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation was already accepted. Remove the member instead."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record_event(
            name=EventName.TEAM_INVITATION_REVOKED,
            actor=actor,
            subject=invitation.team,
            payload={"email": invitation.email},
        )
    return invitation


def invitation_get_by_token(*, token: str) -> Invitation:
    """The invitation a link points to, whatever its state; NotFound for unknown tokens."""
    invitation = (
        Invitation.objects.select_related("team", "invited_by").filter(token_hash=token_hash(token or "")).first()
    )
    if invitation is None:
        raise NotFound(_("This invitation link is not valid. Ask for a new invitation."))
    return invitation


def invitation_get_by_token_hash(*, invitation_id: int, hashed: str) -> Invitation:
    """The invitation kept in a visitor's session (its id and its token's hash); NotFound once a
    re-send has replaced the token, like the old link."""
    invitation = (
        Invitation.objects.select_related("team", "invited_by").filter(pk=invitation_id, token_hash=hashed).first()
    )
    if invitation is None or not hashed:
        raise NotFound(_("This invitation link is not valid. Ask for a new invitation."))
    return invitation


def invitation_refusal(*, invitation: Invitation) -> str | None:
    """Why this invitation can no longer be accepted, or None when it can."""
    status = invitation.status
    if status == Invitation.Status.ACCEPTED:
        return str(_("This invitation has already been used."))
    if status == Invitation.Status.REVOKED:
        return str(_("This invitation was withdrawn by the team."))
    if status == Invitation.Status.EXPIRED:
        return str(_("This invitation has expired. Ask the team for a new one."))
    return None


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the team as the invited role; single use, only for the invited address."""

    lock_team(invitation.team)
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("team").get(pk=invitation.pk)
    refusal = invitation_refusal(invitation=invitation)
    if refusal:
        raise DomainError(refusal, code=f"invitation_{invitation.status}")
    if not user_has_email(user=user, email=invitation.email):
        raise PermissionDenied(
            _("This invitation was sent to %(invited)s, but you are signed in as %(current)s.")
            % {"invited": invitation.email, "current": user.email},
            code="invitation_wrong_user",
        )
    team = invitation.team
    if Membership.objects.filter(team=team, user=user).exists():
        raise DomainError(_("You are already a member of %(team)s.") % {"team": team.name}, code="already_member")
    now = timezone.now()
    membership = Membership.objects.create(team=team, user=user, role=invitation.role, created_at=now)
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_event(
        name=EventName.TEAM_MEMBER_JOINED,
        actor=user,
        subject=team,
        payload={"invitation_id": invitation.pk, "role": invitation.role},
    )
    notify_managers_of_new_member(team=team, member=user)
    return membership
