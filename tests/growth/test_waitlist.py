"""Waitlists: places that improve with successful referrals, batch invitations, per-account flags."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from config.errors import DomainError
from growth.flags import feature_enabled
from growth.services.referrals import referral_apply, referral_code_get_or_create
from growth.services.waitlist import feature_flag_enable, waitlist_invite_next, waitlist_join
from growth.waitlist_models import WaitlistEntry
from growth.waitlist_selectors import waitlist_place_for_user, waitlist_queue
from teams.models import Notification
from tests.factories import UserFactory
from tests.growth.factories import PreviewFeatureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def voiceover(db):
    return PreviewFeatureFactory(key="ai-voiceover", name="AI voice-over", description="Narration from your script")


def _join(feature, user, days_ago: int) -> WaitlistEntry:
    entry = waitlist_join(feature=feature, user=user)
    joined = timezone.now() - timedelta(days=days_ago)
    WaitlistEntry.objects.filter(pk=entry.pk).update(joined_at=joined, queue_at=joined)
    return entry


def _refer(referrer, *, verified: bool = True) -> None:
    friend = UserFactory(verified=False)
    EmailAddress.objects.create(user=friend, email=friend.email, verified=verified, primary=True)
    referral_apply(referee=friend, code=referral_code_get_or_create(user=referrer).code)


def test_the_queue_is_first_come_first_served_and_each_confirmed_referral_moves_one_a_week_ahead(voiceover):
    early, middle, late = UserFactory(), UserFactory(), UserFactory()
    _join(voiceover, early, days_ago=15)
    _join(voiceover, middle, days_ago=10)
    _join(voiceover, late, days_ago=5)
    assert [e.user for e in waitlist_queue(feature=voiceover)] == [early, middle, late]
    _refer(late, verified=False)  # not confirmed: does not count yet
    assert waitlist_place_for_user(feature=voiceover, user=late).position == 3
    _refer(late)  # 5 + 7 = 12 days "ago": ahead of middle (10), behind early (15)
    place = waitlist_place_for_user(feature=voiceover, user=late)
    assert (place.position, place.referrals) == (2, 1)
    # The first friend confirms their address (allauth sends email_confirmed): 5 + 14 = 19 days.
    address = EmailAddress.objects.get(user__referral__referrer=late, verified=False)
    address.verified = True
    address.save()
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    place = waitlist_place_for_user(feature=voiceover, user=late)
    assert (place.position, place.referrals) == (1, 2)
    assert waitlist_place_for_user(feature=voiceover, user=UserFactory()) is None


def test_someone_with_confirmed_referrals_joins_ahead_of_their_join_time(voiceover):
    waiting = UserFactory()
    _join(voiceover, waiting, days_ago=3)
    sharer = UserFactory()
    _refer(sharer)
    waitlist_join(feature=voiceover, user=sharer)  # joins now, stands 7 days earlier
    assert waitlist_place_for_user(feature=voiceover, user=sharer).position == 1


def test_joining_twice_keeps_the_first_place_and_a_closed_waitlist_takes_nobody(voiceover, creator):
    first = waitlist_join(feature=voiceover, user=creator)
    assert waitlist_join(feature=voiceover, user=creator) == first
    voiceover.is_open = False
    voiceover.save()
    with pytest.raises(DomainError):
        waitlist_join(feature=voiceover, user=UserFactory())


def test_staff_invite_the_next_people_in_line_in_batches(voiceover, staff, django_capture_on_commit_callbacks):
    people = [UserFactory() for _ in range(5)]
    for n, person in enumerate(people):
        _join(voiceover, person, days_ago=10 - n)
    with django_capture_on_commit_callbacks(execute=True):
        invited = waitlist_invite_next(feature=voiceover, count=2, actor=staff)
    assert [e.user for e in invited] == people[:2]
    assert all(feature_enabled(p, "ai-voiceover") for p in people[:2])
    assert not any(feature_enabled(p, "ai-voiceover") for p in people[2:])
    assert Notification.objects.filter(kind="waitlist_invited").count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people[:2])
    assert [e.user for e in waitlist_queue(feature=voiceover)] == people[2:]
    again = waitlist_invite_next(feature=voiceover, count=10, actor=staff)
    assert [e.user for e in again] == people[2:]
    assert waitlist_invite_next(feature=voiceover, count=10, actor=staff) == []
    with pytest.raises(DomainError):
        waitlist_invite_next(feature=voiceover, count=0, actor=staff)


def test_one_helper_answers_whether_a_feature_is_on(creator, outsider, staff):
    feature_flag_enable(user=creator, key="ai-voiceover")
    assert feature_enabled(creator, "ai-voiceover")
    assert not feature_enabled(outsider, "ai-voiceover")
    assert feature_enabled(staff, "ai-voiceover")  # staff see every preview

    class Anonymous:
        is_authenticated = False

    assert not feature_enabled(Anonymous(), "ai-voiceover")


def test_the_preview_page_and_the_api_check_the_flag(voiceover, creator, client_for, api_client_for):
    page, api = client_for(creator), api_client_for(creator)
    assert page.get(reverse("growth:preview", args=["ai-voiceover"])).status_code == 404
    assert api.get("/api/v1/growth/flags/ai-voiceover/").json() == {"key": "ai-voiceover", "enabled": False}
    feature_flag_enable(user=creator, key="ai-voiceover")
    assert page.get(reverse("growth:preview", args=["ai-voiceover"])).status_code == 200
    assert api.get("/api/v1/growth/flags/ai-voiceover/").json()["enabled"] is True


def test_the_waitlist_page_shows_the_rule_and_ones_place(voiceover, creator_client, creator):
    _join(voiceover, UserFactory(), days_ago=3)
    response = creator_client.post(reverse("growth:waitlist_join", args=["ai-voiceover"]))
    assert response["Location"] == reverse("growth:waitlists")
    page = creator_client.get(reverse("growth:waitlists")).content.decode()
    assert "moves you 7 days ahead" in page
    assert "You are number 2 in line." in page
    creator_client.post(reverse("growth:waitlist_leave", args=["ai-voiceover"]))
    assert not WaitlistEntry.objects.filter(user=creator).exists()


def test_the_api_joins_and_shows_the_place(voiceover, creator_api):
    joined = creator_api.post("/api/v1/growth/preview-features/ai-voiceover/waitlist/")
    assert joined.status_code == 201
    assert (joined.json()["joined"], joined.json()["position"]) == (True, 1)
    listed = creator_api.get("/api/v1/growth/preview-features/").json()
    assert [(r["key"], r["position"]) for r in listed] == [("ai-voiceover", 1)]
    assert creator_api.post("/api/v1/growth/preview-features/nothing/waitlist/").status_code == 404
    assert creator_api.delete("/api/v1/growth/preview-features/ai-voiceover/waitlist/").status_code == 204
