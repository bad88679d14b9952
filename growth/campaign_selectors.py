"""Campaign reads: a person's marketing categories, a campaign's audience size and its figures."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from growth.campaign_audiences import campaign_recipients
from growth.campaign_models import Campaign, CampaignSend, EmailCategory, EmailOptOut
from insights.models import Event
from teams.models import OutboundEmail, User


def email_categories_for(*, user: User) -> set[str]:
    """The marketing categories `user` receives (all of them unless they opted out)."""
    return set(EmailCategory.values) - set(EmailOptOut.objects.filter(user=user).values_list("category", flat=True))


def campaign_recipient_count(*, campaign: Campaign, now: datetime | None = None) -> int:
    """How many people a one-off campaign would go to if sent now (any time zone)."""
    return campaign_recipients(campaign, now or timezone.now(), window=False).count()


@dataclass(frozen=True)
class CampaignStats:
    sent: int
    delivered: int
    opened: int
    clicked: int
    unsubscribed: int
    converted: int

    def rate(self, figure: int) -> float | None:
        """`figure` as a share of the mails sent (None before any was sent)."""
        return figure / self.sent if self.sent else None

    def rows(self) -> list[tuple[str, int, float | None]]:
        from django.utils.translation import gettext as _

        return [
            (_("sent"), self.sent, None),
            (_("delivered"), self.delivered, self.rate(self.delivered)),
            (_("opened"), self.opened, self.rate(self.opened)),
            (_("clicked"), self.clicked, self.rate(self.clicked)),
            (_("unsubscribed"), self.unsubscribed, self.rate(self.unsubscribed)),
            (_("converted to the goal"), self.converted, self.rate(self.converted)),
        ]


def campaign_stats(*, campaign: Campaign) -> CampaignStats:
    """Sent, delivered (left our outbox), opened, clicked, unsubscribed through it, and converted:
    the campaign's goal event recorded for the recipient after the mail was sent."""
    sends = CampaignSend.objects.filter(campaign=campaign, status=CampaignSend.Status.SENT)
    figures = sends.aggregate(
        sent=Count("pk"),
        opened=Count("pk", filter=Q(opened_at__isnull=False)),
        clicked=Count("pk", filter=Q(clicked_at__isnull=False)),
        unsubscribed=Count("pk", filter=Q(unsubscribed_at__isnull=False)),
    )
    delivered = OutboundEmail.objects.filter(
        pk__in=sends.exclude(email_id=None).values("email_id"), status=OutboundEmail.Status.SENT
    ).count()
    converted = 0
    if campaign.goal_event:
        goal = Event.objects.filter(
            name=campaign.goal_event, actor=OuterRef("user_id"), occurred_at__gt=OuterRef("sent_at")
        )
        converted = sends.filter(Exists(goal)).count()
    return CampaignStats(delivered=delivered, converted=converted, **figures)
