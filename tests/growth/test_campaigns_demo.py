"""The campaigns demo: a history for all nine lifecycle campaigns with opens and clicks, and a drafted
one-off campaign; loaded once."""

import pytest

from growth import campaign_demo
from growth.campaign_models import Campaign, CampaignSend
from growth.campaign_selectors import campaign_stats
from insights.event_names import EventName
from insights.models import Event
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_demo_gives_every_lifecycle_campaign_figures_and_loads_once(settings):
    assert "growth.campaign_demo.load" in settings.DEMO_LOADERS
    assert settings.DEMO_LOADERS.index("growth.campaign_demo.load") < settings.DEMO_LOADERS.index(
        "growth.demo.load_experiments"
    )
    creator = UserFactory(email="demo@videocreator.local")
    staff = UserFactory(email="ops@videocreator.local", is_staff=True)
    campaign_demo.load(creator=creator, staff=staff)
    for lifecycle in Campaign.objects.exclude(trigger="one_off"):
        assert campaign_stats(campaign=lifecycle).sent == 2, lifecycle
    assert Event.objects.filter(name=EventName.EMAIL_OPENED).exists()
    assert Event.objects.filter(name=EventName.EMAIL_CLICKED).exists()
    assert Campaign.objects.get(key=campaign_demo.ONE_OFF_KEY).status == Campaign.Status.DRAFT
    counts = (CampaignSend.objects.count(), Event.objects.count(), Campaign.objects.count())
    campaign_demo.load(creator=creator, staff=staff)
    assert (CampaignSend.objects.count(), Event.objects.count(), Campaign.objects.count()) == counts
