"""Our player's beacons: a view counts once per person, video and day; watch time is bounded."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from insights.engagement_models import EngagementPlatform, PlayerViewerDay, VideoDailyStat
from insights.services.engagement import player_view_record, player_visitor_key, player_watch_record
from tests.videos.factories import VideoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(creator):
    return VideoFactory(owner=creator, duration_seconds=20)


def player_row(video):
    return VideoDailyStat.objects.get(video=video, platform=EngagementPlatform.PLAYER, day=timezone.localdate())


def test_a_view_beacon_counts_one_view_per_person_and_day(creator_client, video):
    url = reverse("player-view-beacon", args=[video.pk])

    assert creator_client.post(url).status_code == 204
    assert creator_client.post(url).status_code == 204

    row = player_row(video)
    assert (row.views, row.owner_id) == (1, video.owner_id)


def test_views_of_two_people_and_of_the_next_day_count_apart(video):
    first, second = player_visitor_key(user_id=1, visitor=""), player_visitor_key(user_id=2, visitor="")
    today = timezone.localdate()

    assert player_view_record(video=video, visitor_key=first, day=today)
    assert player_view_record(video=video, visitor_key=second, day=today)
    assert not player_view_record(video=video, visitor_key=first, day=today)
    assert player_view_record(video=video, visitor_key=first, day=today + timedelta(days=1))

    views = dict(VideoDailyStat.objects.filter(video=video).values_list("day", "views"))
    assert views == {today: 2, today + timedelta(days=1): 1}


def test_the_ledger_keeps_a_keyed_hash_not_the_person(creator_client, creator, video):
    creator_client.post(reverse("player-view-beacon", args=[video.pk]))

    stored = PlayerViewerDay.objects.get(video=video).visitor
    assert stored == player_visitor_key(user_id=creator.pk, visitor="ignored for a signed-in person")
    assert len(stored) == 64 and "user" not in stored


def test_watch_beacons_add_seconds_and_imply_a_view(creator_client, video):
    url = reverse("player-watch-beacon", args=[video.pk])

    creator_client.post(url, {"seconds": "15"})
    creator_client.post(url, {"seconds": "12.7"})

    row = player_row(video)
    assert (row.views, row.watch_seconds) == (1, 27)


def test_one_beacon_counts_at_most_a_minute(video, settings):
    key = player_visitor_key(user_id=None, visitor="a" * 24)

    accepted = player_watch_record(video=video, visitor_key=key, seconds=10_000)

    assert accepted == settings.ENGAGEMENT_WATCH_BEACON_MAX_SECONDS == 60
    assert player_row(video).watch_seconds == 60


def test_a_visitor_counts_at_most_three_replays_a_day(video):
    key = player_visitor_key(user_id=None, visitor="b" * 24)
    for _ in range(5):
        player_watch_record(video=video, visitor_key=key, seconds=30)

    # 20 s video x 3 replays = 60 s, however many beacons arrive.
    assert player_row(video).watch_seconds == 60
    assert player_watch_record(video=video, visitor_key=key, seconds=5) == 0


def test_negative_or_broken_seconds_add_nothing(creator_client, video):
    url = reverse("player-watch-beacon", args=[video.pk])

    assert creator_client.post(url, {"seconds": "-50"}).status_code == 204
    assert creator_client.post(url, {"seconds": "lots"}).status_code == 400
    assert not VideoDailyStat.objects.filter(video=video).exists()


def test_someone_elses_video_is_a_404_and_counts_nothing(outsider_client, video):
    assert outsider_client.post(reverse("player-view-beacon", args=[video.pk])).status_code == 404
    assert outsider_client.post(reverse("player-watch-beacon", args=[video.pk]), {"seconds": "5"}).status_code == 404
    assert not VideoDailyStat.objects.exists()


def test_a_teammate_watching_a_team_video_counts(client_for, teammate, creator, team):
    video = VideoFactory(owner=creator, team=team, duration_seconds=10)

    assert client_for(teammate).post(reverse("player-view-beacon", args=[video.pk])).status_code == 204
    assert player_row(video).views == 1


def test_beacons_need_a_sign_in_and_a_post(client, creator_client, video):
    url = reverse("player-view-beacon", args=[video.pk])
    assert client.post(url).status_code == 302
    assert creator_client.get(url).status_code == 405
    assert not VideoDailyStat.objects.exists()


def test_beacons_are_rate_limited_per_person(creator_client, video, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "player_beacons": "2/hour"},
    }
    url = reverse("player-view-beacon", args=[video.pk])

    statuses = [creator_client.post(url).status_code for _ in range(3)]

    assert statuses == [204, 204, 429]


def test_the_video_page_wires_its_player_to_the_beacons(creator_client, creator):
    from tests.videos.factories import VideoVersionFactory

    video = VideoFactory(owner=creator)
    version = VideoVersionFactory(video=video, number=1)
    video.current_version = version
    video.file.name = "videos/demo.mp4"
    video.save()

    page = creator_client.get(reverse("videos:detail", args=[video.pk])).content.decode()

    assert reverse("player-view-beacon", args=[video.pk]) in page
    assert reverse("player-watch-beacon", args=[video.pk]) in page
    assert "js/player_beacons.js" in page


def test_the_daily_task_forgets_old_viewers_but_keeps_the_counts(video):
    from insights.tasks import video_stats_fetch

    key = player_visitor_key(user_id=None, visitor="c" * 24)
    today = timezone.localdate()
    for days_ago in (0, 1, 2, 5):
        player_view_record(video=video, visitor_key=key, day=today - timedelta(days=days_ago))

    video_stats_fetch.apply()

    assert sorted(PlayerViewerDay.objects.values_list("day", flat=True)) == [today - timedelta(days=1), today]
    assert VideoDailyStat.objects.filter(video=video).count() == 4


def test_a_view_counts_on_the_sites_day_whatever_the_viewers_time_zone(video, settings):
    from zoneinfo import ZoneInfo

    site_day = timezone.localdate(timezone=ZoneInfo(settings.TIME_ZONE))
    key = player_visitor_key(user_id=None, visitor="d" * 24)
    with timezone.override(ZoneInfo("Pacific/Kiritimati")):  # UTC+14: often tomorrow already
        player_view_record(video=video, visitor_key=key)
    with timezone.override(ZoneInfo("Pacific/Pago_Pago")):  # UTC-11: often still yesterday
        player_view_record(video=video, visitor_key=key)

    assert list(VideoDailyStat.objects.filter(video=video).values_list("day", "views")) == [(site_day, 1)]
