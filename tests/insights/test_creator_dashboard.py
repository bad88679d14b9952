"""The creator dashboard: engagement figures from the daily rows, this month against last, top 5,
platforms, 7- and 30-day activity, an empty state, and a query count that does not grow."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from insights.engagement_models import VideoDailyStat
from insights.engagement_selectors import creator_dashboard_for_user, creator_dashboard_recount
from insights.services.engagement import engagement_rollups_rebuild
from tests.videos.factories import VideoFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)  # early in the month: last month (February) ended two days ago


def stat(video, platform, day, views=0, likes=0, shares=0, watch=0):
    """A daily row written in bulk (as the demo and a repair do), with the kept sums rebuilt after it."""
    row = VideoDailyStat.objects.create(
        video=video,
        owner=video.owner,
        platform=platform,
        day=day,
        views=views,
        likes=likes,
        shares=shares,
        watch_seconds=watch,
    )
    engagement_rollups_rebuild()
    return row


@pytest.fixture
def figures(creator, outsider):
    """Two videos of the creator's over February and March, and an outsider's video that must not count."""
    intro = VideoFactory(owner=creator, title="Intro")
    demo = VideoFactory(owner=creator, title="Demo")
    stat(intro, "player", TODAY, views=10, watch=300)
    stat(intro, "youtube", TODAY - timedelta(days=1), views=90, likes=8, shares=2)
    stat(demo, "tiktok", TODAY, views=50, likes=5, shares=5)
    stat(demo, "player", date(2026, 2, 28), views=20, watch=200)  # last month
    stat(demo, "tiktok", date(2026, 2, 1), views=100, likes=2)  # last month, the 30-day window's first day
    stat(VideoFactory(owner=outsider), "youtube", TODAY, views=9999, likes=999)
    return intro, demo


def assert_same_figures(kept, recounted):
    assert kept.total == recounted.total
    assert (kept.this_month, kept.last_month) == (recounted.this_month, recounted.last_month)
    assert kept.days == recounted.days
    assert kept.platforms == recounted.platforms
    assert kept.top_videos == recounted.top_videos


def test_this_month_against_last_month(creator, figures):
    board = creator_dashboard_for_user(user=creator, today=TODAY)

    assert (board.this_month.views, board.this_month.likes, board.this_month.shares) == (150, 13, 7)
    assert (board.last_month.views, board.last_month.likes, board.last_month.shares) == (120, 2, 0)
    assert (board.total.views, board.total.likes, board.total.shares) == (270, 15, 7)
    assert board.video_count == 2
    # Average watch time is per view in our player; engagement is likes and shares per 100 views.
    assert board.this_month.average_watch_seconds == 30.0
    assert board.last_month.average_watch_seconds == 10.0
    assert board.this_month.engagement_rate == round(100 * 20 / 150, 1)
    trends = {trend.label: trend for trend in board.trends}
    assert trends["views"].direction == "up"
    assert trends["views"].change_percent == 25.0
    assert trends["views"].description == "Up 25.0 % on last month"
    assert trends["average_watch"].direction == "up"


def test_a_drop_and_a_first_month_are_told_in_words(creator):
    video = VideoFactory(owner=creator)
    stat(video, "youtube", date(2026, 2, 10), views=200)
    stat(video, "youtube", TODAY, views=50, likes=3)

    trends = {t.label: t for t in creator_dashboard_for_user(user=creator, today=TODAY).trends}

    assert (trends["views"].direction, trends["views"].description) == ("down", "Down 75.0 % on last month")
    assert (trends["likes"].direction, trends["likes"].description) == ("up", "Up from none last month")
    assert trends["shares"].description == "Same as last month"


def test_top_five_videos_by_views(creator):
    videos = [VideoFactory(owner=creator, title=f"V{n}") for n in range(7)]
    for n, video in enumerate(videos):
        stat(video, "player", TODAY, views=n * 10)
        stat(video, "youtube", TODAY, views=1)

    top = creator_dashboard_for_user(user=creator, today=TODAY).top_videos

    assert [row["video__title"] for row in top] == ["V6", "V5", "V4", "V3", "V2"]
    assert (top[0]["views"], top[0]["likes"]) == (61, 0)


def test_platform_breakdown_is_all_time_and_sorted_by_views(creator, figures):
    platforms = creator_dashboard_for_user(user=creator, today=TODAY).platforms

    assert [(key, f.views, f.likes, f.shares) for key, _label, f in platforms] == [
        ("tiktok", 150, 7, 5),
        ("youtube", 90, 8, 2),
        ("player", 30, 0, 0),
    ]
    assert [str(label) for _key, label, _f in platforms] == ["TikTok", "YouTube", "Our player"]


def test_seven_and_thirty_day_activity(creator, figures):
    board = creator_dashboard_for_user(user=creator, today=TODAY)

    assert len(board.days) == 30 and board.days[-1][0] == TODAY and board.days[0][0] == TODAY - timedelta(days=29)
    assert board.days[-1][1:] == (60, 300)
    assert board.views_7_days == 60 + 90 + 20
    assert board.views_30_days == 60 + 90 + 20 + 100  # 1 February is 29 days before 2 March: inside
    assert [views for _day, views, _watch in board.last_7_days] == [0, 0, 0, 0, 20, 90, 60]


def test_the_page_shows_the_figures_charts_and_table_fallbacks(creator_client, creator):
    video = VideoFactory(owner=creator, title="Launch teaser")
    today = timezone.localdate()
    stat(video, "player", today, views=12, watch=240)
    stat(video, "instagram", today, views=30, likes=6, shares=3)

    response = creator_client.get(reverse("dashboard"))
    page = response.content.decode()

    assert response.context["board"].this_month.views == 42
    assert 'data-testid="views-month">42<' in page
    assert "Launch teaser" in page and "Instagram" in page
    for canvas in ("views-7-chart", "views-30-chart", "platform-chart"):
        assert f'id="{canvas}"' in page
    assert page.count("Show as a table") == 2  # the platform chart's table is always shown
    assert "vendor/chartjs-4.5.1/chart.umd.min.js" in page
    assert 'data-testid="engagement-empty"' not in page


def test_a_new_creator_gets_a_helpful_empty_state(creator_client):
    page = creator_client.get(reverse("dashboard")).content.decode()

    assert 'data-testid="engagement-empty"' in page
    assert reverse("videos:templates") in page
    assert 'id="views-30-chart"' not in page


def test_a_creator_with_unwatched_videos_is_told_how_views_arrive(creator_client, creator):
    VideoFactory(owner=creator)

    page = creator_client.get(reverse("dashboard")).content.decode()

    assert 'data-testid="engagement-empty"' in page
    assert "Nobody has watched your videos yet" in page
    assert reverse("videos:publications") in page


def test_the_query_count_does_not_grow_with_videos_or_days(creator_client, creator, django_assert_num_queries):
    video = VideoFactory(owner=creator)
    stat(video, "player", timezone.localdate(), views=1)
    with django_assert_num_queries(10) as first:
        creator_client.get(reverse("dashboard"))

    today = timezone.localdate()
    for n in range(12):
        more = VideoFactory(owner=creator)
        for days_ago in range(0, 40, 3):
            stat(more, "youtube" if n % 2 else "player", today - timedelta(days=days_ago), views=n + 1, likes=1)

    with django_assert_num_queries(len(first.captured_queries)):
        creator_client.get(reverse("dashboard"))


def test_the_demo_gives_the_creator_a_lively_dashboard_once(creator, staff):
    from insights.engagement_demo import load

    for n in range(3):
        VideoFactory(owner=creator, title=f"Demo {n}")
    load(creator=creator, staff=staff)
    rows = VideoDailyStat.objects.filter(owner=creator).count()
    load(creator=creator, staff=staff)

    assert rows > 100 and VideoDailyStat.objects.filter(owner=creator).count() == rows
    board = creator_dashboard_for_user(user=creator)
    assert_same_figures(board, creator_dashboard_recount(user=creator))
    assert board.has_engagement and len(board.top_videos) == 3 and len(board.platforms) >= 3
    assert board.views_7_days > 0 and board.this_month.average_watch_seconds


def test_every_write_keeps_the_sums_in_step_with_the_daily_rows(creator, outsider, platforms):
    """Beacons and the statistics fetch update the kept sums as they write; a recount agrees."""
    from insights.services.engagement import (
        player_view_record,
        player_visitor_key,
        player_watch_record,
        video_stats_fetch_day,
    )
    from tests.videos.publishing import link
    from videos.publishing_models import Publication, PublicationTarget

    video = VideoFactory(owner=creator, duration_seconds=30)
    other = VideoFactory(owner=creator, duration_seconds=30)
    today = timezone.localdate()
    for n in range(3):
        key = player_visitor_key(user_id=None, visitor=f"visitor-{n:020d}")
        player_view_record(video=video, visitor_key=key)
        player_watch_record(video=other, visitor_key=key, seconds=40)
    publication = Publication.objects.create(video=other, owner=creator, scheduled_at=timezone.now(), time_zone="UTC")
    PublicationTarget.objects.create(
        publication=publication,
        platform="youtube",
        social_account=link(creator, "youtube"),
        status=PublicationTarget.Status.PUBLISHED,
        remote_id="yt-1",
    )
    video_stats_fetch_day(day=today - timedelta(days=1))
    platforms["youtube"].statistics = {"viewCount": "150", "likeCount": "9"}
    video_stats_fetch_day(day=today)
    platforms["youtube"].statistics = {"viewCount": "170", "likeCount": "9"}
    video_stats_fetch_day(day=today)  # replaces today's row: the sums move by the difference only

    kept = creator_dashboard_for_user(user=creator)
    assert_same_figures(kept, creator_dashboard_recount(user=creator))
    assert kept.total.views == 3 + 3 + 170 and kept.total.watch_seconds == 120
    assert kept.top_videos[0]["video_id"] == other.pk


def test_a_big_accounts_videos_are_counted_up_to_the_lists_cap(creator_client, creator, monkeypatch):
    from config import pagination

    for _ in range(4):
        VideoFactory(owner=creator)
    monkeypatch.setitem(pagination.capped_count.__kwdefaults__, "cap", 3)  # 1,000 in real life

    response = creator_client.get(reverse("dashboard"))

    assert (response.context["board"].video_count, response.context["board"].video_count_capped) == (3, True)
    assert 'data-testid="video-count">3+<' in response.content.decode()
