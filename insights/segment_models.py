"""Customer segments and loyalty tiers, recomputed nightly (insights.services.segments)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Segment(models.TextChoices):
    WHALE = "whale", _("Whale (spent 1,000 or more)")
    REGULAR = "regular", _("Regular (spent 200 to 1,000)")
    AT_RISK = "at_risk", _("At risk (no sign-in or new video in 14 days)")
    CHURNED = "churned", _("Churned (inactive 90 days)")
    OTHER = "other", _("Other")


class Tier(models.TextChoices):
    BRONZE = "bronze", _("Bronze")
    SILVER = "silver", _("Silver")
    GOLD = "gold", _("Gold")
    PLATINUM = "platinum", _("Platinum")


class CustomerProfile(models.Model):
    """A person's segment, loyalty tier and lifetime value as of the last nightly recompute."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="customer_profile"
    )
    segment = models.CharField(_("segment"), max_length=10, choices=Segment.choices, default=Segment.OTHER)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices, default=Tier.BRONZE)
    lifetime_value_cents = models.PositiveBigIntegerField(_("lifetime value (cents)"), default=0)
    last_active_at = models.DateTimeField(_("last active"), null=True, blank=True)
    recomputed_at = models.DateTimeField(_("recomputed"))

    class Meta:
        verbose_name = _("customer profile")
        verbose_name_plural = _("customer profiles")
        indexes = [
            models.Index(fields=["segment"], name="insights_profile_segment"),
            models.Index(fields=["tier"], name="insights_profile_tier"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.segment}, {self.tier}"

    @property
    def lifetime_value(self) -> float:
        return self.lifetime_value_cents / 100
