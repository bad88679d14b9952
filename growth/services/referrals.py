"""Referral writes: codes, counted visits, applying a code at signup, and the referrer's reward.

The referee's discount is a single-use coupon issued to their account when the code is applied
(`billing.services.coupon_issue`); the referrer's free month (`billing.services.credit_grant`) is
granted after the referee's first payment of money, announced by `billing.signals.payment_succeeded`.
That signal can arrive twice (a replayed webhook, two workers, the catch-up task), so the reward is
fenced by one conditional UPDATE of the referral row: only the call that moves it from "signed up"
to "rewarded" grants the credit, in the same transaction.
"""

import hashlib
from datetime import datetime, timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from billing.models import Customer, Payment
from billing.services import coupon_issue, credit_grant
from config.errors import DomainError
from growth.codes import email_identity, is_bot, referral_code_clean, referral_code_new
from growth.limits import rate_allows, rate_count
from growth.referral_models import Referral, ReferralCode, ReferralFlag, ReferralVisit
from growth.services.waitlist import waitlist_requeue
from insights.event_names import EventName
from insights.events import record_event
from teams.models import User
from teams.notification_kinds import NotificationKind
from teams.services import notification_send

Reason = ReferralFlag.Reason

REFUSALS = {
    Reason.SELF: _("You cannot use your own referral code."),
    Reason.SAME_EMAIL: _("You cannot use your own referral code."),
    Reason.SAME_CUSTOMER: _("You cannot use your own referral code."),
    Reason.LOOP: _("You cannot use the code of someone you referred."),
}
# Referral chains are short; a longer walk is a data problem, not a loop to chase.
MAX_CHAIN = 50


@transaction.atomic
def referral_code_get_or_create(*, user: User) -> ReferralCode:
    """The person's referral code, made on first use (retrying on the rare collision)."""
    existing = ReferralCode.objects.filter(user=user).first()
    if existing is not None:
        return existing
    for _attempt in range(8):
        try:
            with transaction.atomic():
                return ReferralCode.objects.create(user=user, code=referral_code_new(user.display_name))
        except IntegrityError:
            # Either the code is taken (try another) or a parallel request made this person's code.
            existing = ReferralCode.objects.filter(user=user).first()
            if existing is not None:
                return existing
    raise DomainError(_("Could not make a referral code. Try again."), code="referral_code_collision")


def referral_visit_record(
    *, code: str, visitor_id: str, user_agent: str, user: object = None, client_address: str = ""
) -> bool:
    """Count a share-link visit once per browser, not for bots or the code's owner; True if counted."""
    if not visitor_id or is_bot(user_agent):
        return False
    referral_code = ReferralCode.objects.filter(code=referral_code_clean(code)).first()
    if referral_code is None or getattr(user, "pk", None) == referral_code.user_id:
        return False
    if ReferralVisit.objects.filter(code=referral_code, visitor_id=visitor_id[:64]).exists():
        return False
    # Keyed by a hash, so the cache holds no address.
    address_key = hashlib.sha256(client_address.encode()).hexdigest()
    if client_address and not rate_allows(scope="referral_visit_address", key=address_key):
        return False
    try:
        with transaction.atomic():
            ReferralVisit.objects.create(code=referral_code, visitor_id=visitor_id[:64])
    except IntegrityError:
        return False  # this browser was counted already
    return True


def _identities(user: User) -> set[str]:
    addresses = set(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) | {user.email}
    return {email_identity(address) for address in addresses}


def _shares_payment_customer(a: User, b: User) -> bool:
    ids = Customer.objects.filter(user=a).values_list("provider_customer_id", flat=True)
    return Customer.objects.filter(user=b, provider_customer_id__in=list(ids)).exists()


def _referred_by_chain(user: User) -> list[int]:
    """The ids of the people above `user`: who referred them, who referred that person …"""
    chain, current = [], user.pk
    for _step in range(MAX_CHAIN):
        above = (
            Referral.objects.filter(referee_id=current)
            .exclude(status=Referral.Status.REFUSED)
            .values_list("referrer_id", flat=True)
            .first()
        )
        if above is None or above in chain:
            break
        chain.append(above)
        current = above
    return chain


def referral_fraud_reason(*, referrer: User, referee: User) -> str | None:
    """Why `referee` may not use `referrer`'s code (a ReferralFlag reason), or None."""
    if referrer.pk == referee.pk:
        return Reason.SELF
    if _identities(referrer) & _identities(referee):
        return Reason.SAME_EMAIL
    if _shares_payment_customer(referrer, referee):
        return Reason.SAME_CUSTOMER
    if referee.pk in _referred_by_chain(referrer):
        return Reason.LOOP
    return None


def referral_apply(*, referee: User, code: str, now: datetime | None = None) -> Referral:
    """Apply a referral code to a new account: the referee gets their discount coupon at once.

    Not one transaction on purpose: a refused self-referral leaves its fraud flag behind.
    """
    now = now or timezone.now()
    rate_count(scope="referral_apply", key=referee.pk)
    referral_code = ReferralCode.objects.select_related("user").filter(code=referral_code_clean(code)).first()
    if referral_code is None:
        raise DomainError(_("This referral code is not valid."), code="referral_invalid", field="code")
    if Referral.objects.filter(referee=referee).exists():
        raise DomainError(_("You have already used a referral code."), code="referral_already_applied", field="code")
    reason = referral_fraud_reason(referrer=referral_code.user, referee=referee)
    if reason is not None:
        ReferralFlag.objects.create(code=referral_code, user=referee, reason=reason, created_at=now)
        raise DomainError(REFUSALS[reason], code=f"referral_{reason}", field="code")
    if referee.date_joined < now - timedelta(days=settings.GROWTH_REFERRAL_APPLY_DAYS):
        raise DomainError(
            _("Referral codes can be used only in the first %(days)d days after signing up.")
            % {"days": settings.GROWTH_REFERRAL_APPLY_DAYS},
            code="referral_too_late",
            field="code",
        )
    if Payment.objects.filter(user=referee, status=Payment.Status.PAID, amount_cents__gt=0).exists():
        raise DomainError(
            _("Referral codes are for new customers, before their first payment."),
            code="referral_already_customer",
            field="code",
        )
    return _referral_create(referral_code=referral_code, referee=referee, now=now)


@transaction.atomic
def _referral_create(*, referral_code: ReferralCode, referee: User, now: datetime) -> Referral:
    User.objects.select_for_update().filter(pk=referee.pk).first()  # two applies at once take turns
    if Referral.objects.filter(referee=referee).exists():
        raise DomainError(_("You have already used a referral code."), code="referral_already_applied", field="code")
    redemption = coupon_issue(
        user=referee,
        name=f"Referral {referral_code.code}",
        percent_off=settings.GROWTH_REFERRAL_PERCENT_OFF,
        code_prefix="REF",
        stripe_coupon_id=settings.GROWTH_REFERRAL_STRIPE_COUPON,
        now=now,
    )
    referral = Referral.objects.create(
        code=referral_code, referrer=referral_code.user, referee=referee, coupon=redemption.coupon, created_at=now
    )
    waitlist_requeue(user=referral_code.user)  # counts at once when the referee's address is confirmed already
    record_event(
        name=EventName.REFERRAL_SIGNED_UP,
        actor=referee,
        subject=referral,
        payload={"referrer_id": referral_code.user_id},
    )
    return referral


def referral_confirmed(*, referee: User) -> None:
    """The referee confirmed an e-mail address: their referrer moves ahead on waitlists."""
    referral = Referral.objects.filter(referee=referee).exclude(status=Referral.Status.REFUSED).first()
    if referral is not None:
        waitlist_requeue(user=referral.referrer)


def referral_apply_at_signup(*, referee: User, code: str) -> Referral | None:
    """The signup flow's quiet variant: a refused or unknown code is skipped (and flagged), never an error."""
    try:
        return referral_apply(referee=referee, code=code)
    except DomainError:
        return None


@transaction.atomic
def referral_reward(*, payment: Payment, now: datetime | None = None) -> Referral | None:
    """Reward the payer's referrer with one free month of Pro, once, for a payment of money."""
    if payment.status != Payment.Status.PAID or payment.amount_cents <= 0:
        return None
    now = now or timezone.now()
    referral = (
        Referral.objects.select_related("referrer", "referee", "code")
        .filter(referee_id=payment.user_id, status=Referral.Status.SIGNED_UP)
        .first()
    )
    if referral is None:
        return None
    if _shares_payment_customer(referral.referrer, referral.referee):
        refused = Referral.objects.filter(pk=referral.pk, status=Referral.Status.SIGNED_UP).update(
            status=Referral.Status.REFUSED, refused_reason=str(Reason.SAME_CUSTOMER.label)
        )
        if refused:
            ReferralFlag.objects.create(code=referral.code, user=referral.referee, reason=Reason.SAME_CUSTOMER)
            waitlist_requeue(user=referral.referrer)
        return None
    # The fence. A second worker's UPDATE waits for the first one's row lock, then matches nothing.
    won = Referral.objects.filter(pk=referral.pk, status=Referral.Status.SIGNED_UP, rewarded_at__isnull=True).update(
        status=Referral.Status.REWARDED, rewarded_at=now, first_payment=payment
    )
    if not won:
        return None
    credit = credit_grant(user=referral.referrer, months=1, reason=f"Referral of user #{referral.referee_id}", now=now)
    Referral.objects.filter(pk=referral.pk).update(reward_credit=credit)
    referral.refresh_from_db()
    record_event(
        name=EventName.REFERRAL_REWARDED,
        actor=referral.referee,
        subject=referral,
        payload={"referrer_id": referral.referrer_id, "payment_id": payment.pk},
    )
    notification_send(
        recipient=referral.referrer,
        kind=NotificationKind.REFERRAL_REWARDED,
        params={"friend": referral.referee.display_name or referral.referee.email.split("@")[0]},
        target_url=reverse("growth:referrals"),
    )
    return referral


def referral_rewards_catch_up() -> int:
    """Reward referrals whose referee has paid but whose signal was lost (a crash after commit)."""
    waiting = list(Referral.objects.filter(status=Referral.Status.SIGNED_UP).values_list("referee_id", flat=True))
    firsts: dict[int, Payment] = {}
    paid = Payment.objects.filter(user_id__in=waiting, status=Payment.Status.PAID, amount_cents__gt=0)
    for payment in paid.order_by("paid_at", "pk"):
        firsts.setdefault(payment.user_id, payment)
    return sum(1 for payment in firsts.values() if referral_reward(payment=payment) is not None)
