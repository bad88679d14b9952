"""Demo data for campaigns: a history of lifecycle mail to the demo people (sent, some opened and
clicked, through the tracking services) and a one-off campaign drafted by staff. Once."""

from datetime import timedelta

from django.utils import timezone

from growth.campaign_models import Campaign, CampaignSend, Trigger
from growth.services.campaigns import campaign_save, campaign_send_clicked, campaign_send_opened
from teams.models import User

ONE_OFF_KEY = "demo-spring-offer"


def load(*, creator: User, staff: User) -> None:
    if Campaign.objects.filter(key=ONE_OFF_KEY).exists():
        return
    now = timezone.now()
    people = list(User.objects.filter(email__endswith="@videocreator.local").order_by("pk"))
    lifecycle = list(Campaign.objects.exclude(trigger=Trigger.ONE_OFF).order_by("pk"))
    for number, campaign in enumerate(lifecycle):
        for index, someone in enumerate(people):
            sent_at = now - timedelta(days=20 - number, hours=index)
            period = sent_at.strftime("%Y-%m") if campaign.trigger == Trigger.NEWSLETTER else ""
            send, created = CampaignSend.objects.get_or_create(
                campaign=campaign,
                user=someone,
                period=period,
                defaults={"status": CampaignSend.Status.SENT, "created_at": sent_at, "sent_at": sent_at},
            )
            if not created:
                continue
            if (number + index) % 2 == 0:
                campaign_send_opened(send_id=send.pk, now=sent_at + timedelta(hours=2))
            if (number + index) % 3 == 0:
                campaign_send_clicked(send_id=send.pk, target="/templates/", now=sent_at + timedelta(hours=3))
    campaign_save(
        campaign=Campaign(
            key=ONE_OFF_KEY,
            name="Spring offer (draft)",
            trigger=Trigger.ONE_OFF,
            category="offers",
            subject_en="Spring offer: 20 % off Pro",
            subject_es="Oferta de primavera: 20 % en Pro",
            body_en="Hi {name},\n\nThis week Pro is 20 % off: more videos a month, your logo, the Pro templates.",
            body_es="Hola {name}:\n\nEsta semana Pro tiene un 20 % de descuento.",
            cta_label_en="See Pro",
            cta_label_es="Ver Pro",
            cta_path="/pricing/",
            audience_plan="free",
        )
    )
