"""The daily fetch reads each published post's statistics from its platform (the fake servers speak
each platform's documented statistics API) and stores them as the day's growth; re-running replaces."""

from datetime import timedelta

import pytest
from django.utils import timezone

from insights.engagement_models import VideoDailyStat
from insights.services.engagement import video_stats_fetch_day
from tests.videos.factories import VideoFactory
from tests.videos.platform_servers import Fault
from tests.videos.publishing import PLATFORM_NAMES, link
from videos.publishing_models import Publication, PublicationTarget

pytestmark = pytest.mark.django_db

# What each fake platform answers (views, likes, shares), as in tests/videos/test_publishing_platforms.py.
EXPECTED = {
    "youtube": (120, 7, 0),
    "instagram": (50, 4, 2),
    "tiktok": (900, 80, 12),
    "facebook": (300, 10, 0),
    "x": (70, 5, 2),
}


def published(owner, *names, video=None, status=PublicationTarget.Status.PUBLISHED):
    video = video or VideoFactory(owner=owner)
    publication = Publication.objects.create(
        video=video, owner=owner, scheduled_at=timezone.now(), time_zone="UTC", status=Publication.Status.PUBLISHED
    )
    for name in names:
        account = (
            link(owner, name)
            if not PublicationTarget.objects.filter(platform=name, publication__owner=owner).exists()
            else PublicationTarget.objects.filter(platform=name, publication__owner=owner).first().social_account
        )
        PublicationTarget.objects.create(
            publication=publication,
            platform=name,
            social_account=account,
            status=status,
            remote_id=f"{name}-{publication.pk}",
            published_at=timezone.now(),
        )
    return video


def figures(video, day):
    return {
        row.platform: (row.views, row.likes, row.shares) for row in VideoDailyStat.objects.filter(video=video, day=day)
    }


def test_every_platforms_statistics_become_the_days_rows(creator, platforms):
    video = published(creator, *PLATFORM_NAMES)
    today = timezone.localdate()

    report = video_stats_fetch_day(day=today)

    assert (report.stored, report.failed) == (5, 0)
    assert figures(video, today) == EXPECTED
    assert set(VideoDailyStat.objects.values_list("owner_id", flat=True)) == {creator.pk}
    # Each platform was asked through its documented statistics route.
    assert platforms["youtube"].requests_to("/youtube/v3/videos", "GET")[0].query["part"] == "statistics"
    assert platforms["tiktok"].requests_to("/v2/video/query/", "POST")
    assert platforms["instagram"].requests_to("/insights", "GET")
    assert platforms["facebook"].requests_to("/video_insights", "GET")
    assert "public_metrics" in platforms["x"].requests_to("/2/tweets/", "GET")[0].query["tweet.fields"]


def test_fetching_a_day_again_replaces_it_instead_of_adding(creator, platforms):
    video = published(creator, "youtube")
    today = timezone.localdate()

    video_stats_fetch_day(day=today)
    video_stats_fetch_day(day=today)

    assert VideoDailyStat.objects.filter(video=video).count() == 1
    assert figures(video, today) == {"youtube": (120, 7, 0)}


def test_the_next_day_stores_only_what_the_lifetime_counters_gained(creator, platforms):
    video = published(creator, "youtube")
    today = timezone.localdate()
    video_stats_fetch_day(day=today)

    platforms["youtube"].statistics = {"viewCount": "150", "likeCount": "9"}
    video_stats_fetch_day(day=today + timedelta(days=1))
    video_stats_fetch_day(day=today + timedelta(days=1))

    assert figures(video, today + timedelta(days=1)) == {"youtube": (30, 2, 0)}
    total = sum(VideoDailyStat.objects.filter(video=video).values_list("views", flat=True))
    assert total == 150  # the rows add up to the platform's lifetime count


def test_a_counter_that_goes_down_stores_no_negative_day(creator, platforms):
    video = published(creator, "youtube")
    today = timezone.localdate()
    video_stats_fetch_day(day=today)

    platforms["youtube"].statistics = {"viewCount": "110", "likeCount": "6"}
    video_stats_fetch_day(day=today + timedelta(days=1))

    assert figures(video, today + timedelta(days=1)) == {"youtube": (0, 0, 0)}


def test_a_platform_that_fails_is_left_for_the_next_run_and_the_others_are_stored(creator, platforms):
    video = published(creator, "youtube", "tiktok")
    platforms["tiktok"].faults.append(Fault("POST", "/v2/video/query/", status=503, times=5))

    report = video_stats_fetch_day(day=timezone.localdate())

    assert (report.stored, report.failed) == (1, 1)
    assert figures(video, timezone.localdate()) == {"youtube": (120, 7, 0)}


def test_only_published_posts_are_read(creator, platforms):
    published(creator, "youtube", status=PublicationTarget.Status.FAILED)

    report = video_stats_fetch_day(day=timezone.localdate())

    assert report.stored == 0
    assert not platforms["youtube"].requests_to("/youtube/v3/videos", "GET")


def test_the_daily_task_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    scheduled = dict(PeriodicTask.objects.values_list("task", "interval__every"))
    assert scheduled["insights.video_stats_fetch"] == 1440
    assert scheduled["insights.customer_profiles_recompute"] == 1440
    assert scheduled["insights.page_views_flush"] == 1
