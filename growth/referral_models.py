"""Referrals: one code per person, the visits it brought, the people who signed up with it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Referral", "ReferralCode", "ReferralFlag", "ReferralVisit"]


class ReferralCode(models.Model):
    """A person's one referral code, e.g. CORA-7K3Q-M9XT (readable, unguessable, unique)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="referral_code"
    )
    code = models.CharField(_("code"), max_length=24, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("referral code")
        verbose_name_plural = _("referral codes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.code


class ReferralVisit(models.Model):
    """One browser that opened a share link; the unique pair counts every browser once per code."""

    code = models.ForeignKey(ReferralCode, verbose_name=_("code"), on_delete=models.CASCADE, related_name="visits")
    visitor_id = models.CharField(_("visitor"), max_length=64)
    created_at = models.DateTimeField(_("visited"), default=timezone.now)

    class Meta:
        verbose_name = _("referral visit")
        verbose_name_plural = _("referral visits")
        constraints = [models.UniqueConstraint(fields=["code", "visitor_id"], name="growth_visit_once_per_browser")]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.code} · {self.created_at:%Y-%m-%d}"


class Referral(models.Model):
    """A person who signed up with someone's code; rewarded once, after their first payment."""

    class Status(models.TextChoices):
        SIGNED_UP = "signed_up", _("Signed up")
        REWARDED = "rewarded", _("Paid, referrer rewarded")
        REFUSED = "refused", _("Refused")

    code = models.ForeignKey(ReferralCode, verbose_name=_("code"), on_delete=models.CASCADE, related_name="referrals")
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("referrer"), on_delete=models.CASCADE, related_name="referrals_made"
    )
    # One referral per person, ever: a code is applied once.
    referee = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("referred person"), on_delete=models.CASCADE, related_name="referral"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SIGNED_UP)
    coupon = models.ForeignKey(
        "billing.Coupon",
        verbose_name=_("referee's coupon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_payment = models.ForeignKey(
        "billing.Payment",
        verbose_name=_("first payment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reward_credit = models.ForeignKey(
        "billing.Credit",
        verbose_name=_("referrer's credit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    refused_reason = models.CharField(_("refused because"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    rewarded_at = models.DateTimeField(_("rewarded"), null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(referrer=models.F("referee")), name="growth_referral_not_self"),
            # The reward's fence: it is granted by the one UPDATE that sets rewarded_at.
            models.CheckConstraint(
                condition=Q(status="rewarded", rewarded_at__isnull=False) | ~Q(status="rewarded"),
                name="growth_referral_rewarded_has_time",
            ),
        ]
        indexes = [models.Index(fields=["referrer", "status"]), models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.referrer} → {self.referee}"


class ReferralFlag(models.Model):
    """A refused attempt to use a code (self-referral, a loop …), kept for the fraud review."""

    class Reason(models.TextChoices):
        SELF = "self", _("Own code")
        SAME_EMAIL = "same_email", _("Same e-mail address behind an alias")
        SAME_CUSTOMER = "same_customer", _("Same payment customer")
        LOOP = "loop", _("Referral loop")

    code = models.ForeignKey(ReferralCode, verbose_name=_("code"), on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    created_at = models.DateTimeField(_("flagged"), default=timezone.now)

    class Meta:
        verbose_name = _("referral fraud flag")
        verbose_name_plural = _("referral fraud flags")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.code} · {self.get_reason_display()}"
