"""The growth demo: referrals (one paid and rewarded), a voted feature board and a waitlist; loaded once."""

import pytest
from django.core.management import call_command

from billing.models import Credit
from growth.feature_models import FeatureRequest, FeatureVote
from growth.referral_models import Referral
from growth.waitlist_models import WaitlistEntry
from teams.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_shows_referrals_votes_and_a_waitlist_and_loads_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", password="demo-pass-for-tests")
    demo = User.objects.get(email="demo@videocreator.local")
    assert sorted(Referral.objects.filter(referrer=demo).values_list("status", flat=True)) == ["rewarded", "signed_up"]
    assert Credit.objects.filter(user=demo, reason__startswith="Referral").count() == 1
    assert FeatureRequest.objects.count() == 5
    assert FeatureRequest.objects.order_by("-score").first().title == "Dark mode for the editor"
    assert WaitlistEntry.objects.filter(feature__key="ai-voiceover").count() == 3
    counts = (Referral.objects.count(), FeatureVote.objects.count(), WaitlistEntry.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", password="demo-pass-for-tests")
    assert (Referral.objects.count(), FeatureVote.objects.count(), WaitlistEntry.objects.count()) == counts
    assert Credit.objects.filter(user=demo, reason__startswith="Referral").count() == 1
