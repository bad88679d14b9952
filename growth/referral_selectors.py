"""Referral reads: a referrer's own figures, and the programme's figures for staff."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum

from billing.models import Credit
from growth.referral_models import Referral, ReferralCode, ReferralFlag, ReferralVisit
from teams.models import User

Status = Referral.Status


@dataclass(frozen=True)
class ReferrerStats:
    clicks: int
    signups: int
    paid: int
    months_earned: int
    months_claimed: int


def referral_stats_for_user(*, user: User) -> ReferrerStats:
    """What a person's code brought: counted visits, signups, paid conversions, free months earned and used."""
    counts = Referral.objects.filter(referrer=user).aggregate(
        signups=Count("pk", filter=~Q(status=Status.REFUSED)),
        paid=Count("pk", filter=Q(status=Status.REWARDED)),
    )
    credits = Credit.objects.filter(
        pk__in=Referral.objects.filter(referrer=user, reward_credit__isnull=False).values("reward_credit")
    ).aggregate(earned=Sum("months"), left=Sum("months_remaining"))
    earned = credits["earned"] or 0
    return ReferrerStats(
        clicks=ReferralVisit.objects.filter(code__user=user).count(),
        signups=counts["signups"],
        paid=counts["paid"],
        months_earned=earned,
        months_claimed=earned - (credits["left"] or 0),
    )


def referral_list_for_user(*, user: User) -> QuerySet[Referral]:
    """The people a person referred, newest first (for their referrals page)."""
    return Referral.objects.filter(referrer=user).exclude(status=Status.REFUSED).select_related("referee")


@dataclass
class ProgrammeStats:
    codes: int
    visits: int
    signups: int
    paid: int
    users: int
    flags: int
    top_referrers: list[dict] = field(default_factory=list)

    @property
    def visit_to_signup(self) -> float:
        return self.signups / self.visits if self.visits else 0.0

    @property
    def signup_to_paid(self) -> float:
        return self.paid / self.signups if self.signups else 0.0

    @property
    def invites_per_user(self) -> float:
        """Share-link visits (invites that reached someone) per person on the product."""
        return self.visits / self.users if self.users else 0.0

    @property
    def k_factor(self) -> float:
        """Invites sent per user times invite conversion: new people each person brings in."""
        return self.invites_per_user * self.visit_to_signup


def referral_programme_stats(*, top: int = 10) -> ProgrammeStats:
    """The referral programme's funnel, K-factor, top referrers and fraud flags (a fixed few queries)."""
    referrals = Referral.objects.aggregate(
        signups=Count("pk", filter=~Q(status=Status.REFUSED)), paid=Count("pk", filter=Q(status=Status.REWARDED))
    )
    leaders = (
        Referral.objects.exclude(status=Status.REFUSED)
        .values("referrer", "referrer__email", "referrer__display_name")
        .annotate(signups=Count("pk"), paid=Count("pk", filter=Q(status=Status.REWARDED)))
        .order_by("-paid", "-signups", "referrer")[:top]
    )
    return ProgrammeStats(
        codes=ReferralCode.objects.count(),
        visits=ReferralVisit.objects.count(),
        signups=referrals["signups"],
        paid=referrals["paid"],
        users=User.objects.filter(is_active=True).count(),
        flags=ReferralFlag.objects.count(),
        top_referrers=list(leaders),
    )
