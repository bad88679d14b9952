"""Scheduling: wall-clock times in a chosen zone (across DST changes), limits, usage, cancel, reschedule."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from billing import limits
from config.errors import DomainError, LimitReached
from videos.publishing_models import Publication
from videos.services.publishing import (
    local_to_utc,
    publication_cancel,
    publication_reschedule,
    publication_schedule,
    publications_claim_due,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("zone", "local", "utc"),
    [
        # Berlin moves from UTC+1 to UTC+2 on 2027-03-28: the same 09:00 is an hour earlier in UTC after it.
        ("Europe/Berlin", datetime(2027, 3, 27, 9, 0), datetime(2027, 3, 27, 8, 0, tzinfo=UTC)),
        ("Europe/Berlin", datetime(2027, 3, 29, 9, 0), datetime(2027, 3, 29, 7, 0, tzinfo=UTC)),
        # New York moves from UTC-5 to UTC-4 on 2027-03-14.
        ("America/New_York", datetime(2027, 3, 13, 9, 0), datetime(2027, 3, 13, 14, 0, tzinfo=UTC)),
        ("America/New_York", datetime(2027, 3, 15, 9, 0), datetime(2027, 3, 15, 13, 0, tzinfo=UTC)),
    ],
)
def test_a_wall_clock_time_is_stored_in_utc_across_a_dst_change(zone, local, utc):
    assert local_to_utc(local=local, time_zone=zone) == utc


@pytest.mark.parametrize(
    ("zone", "local"),
    [("Europe/Berlin", datetime(2027, 3, 28, 2, 30)), ("America/New_York", datetime(2027, 3, 14, 2, 30))],
)
def test_a_time_skipped_by_the_clocks_moving_forward_is_refused_with_the_reason(zone, local):
    with pytest.raises(DomainError) as refused:
        local_to_utc(local=local, time_zone=zone)
    assert refused.value.code == "nonexistent_time"
    assert "does not exist" in str(refused.value.message)
    assert zone in str(refused.value.message)


@pytest.mark.parametrize(
    ("zone", "local", "first", "second"),
    [
        (
            "Europe/Berlin",
            datetime(2027, 10, 31, 2, 30),
            datetime(2027, 10, 31, 0, 30, tzinfo=UTC),
            datetime(2027, 10, 31, 1, 30, tzinfo=UTC),
        ),
        (
            "America/New_York",
            datetime(2027, 11, 7, 1, 30),
            datetime(2027, 11, 7, 5, 30, tzinfo=UTC),
            datetime(2027, 11, 7, 6, 30, tzinfo=UTC),
        ),
    ],
)
def test_a_time_that_happens_twice_needs_a_choice(zone, local, first, second):
    with pytest.raises(DomainError) as refused:
        local_to_utc(local=local, time_zone=zone)
    assert refused.value.code == "ambiguous_time"
    assert local_to_utc(local=local, time_zone=zone, fold=0) == first
    assert local_to_utc(local=local, time_zone=zone, fold=1) == second


def test_an_unknown_zone_is_refused():
    with pytest.raises(DomainError) as refused:
        local_to_utc(local=datetime(2027, 1, 1, 9), time_zone="Mars/Olympus")
    assert refused.value.field == "time_zone"


def _schedule(creator, video, local, zone="Europe/Berlin", platforms=("youtube",), **kwargs):
    return publication_schedule(
        user=creator,
        video=video,
        local_time=local,
        time_zone=zone,
        targets=[{"platform": p} for p in platforms],
        **kwargs,
    )


def test_scheduling_stores_utc_and_the_zone_and_shows_the_time_in_the_viewers_zone(
    creator, platforms, link_account, publishable_video, client_for
):
    link_account(creator, "youtube")
    publication = _schedule(creator, publishable_video(creator), datetime(2027, 3, 29, 9, 0))

    assert publication.scheduled_at == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)
    assert publication.time_zone == "Europe/Berlin"
    assert publication.status == Publication.Status.SCHEDULED
    creator.time_zone = "America/New_York"
    creator.save(update_fields=["time_zone"])
    page = client_for(creator).get(f"/publishing/{publication.pk}/").content.decode()
    assert "March 29, 2027, 3 a.m." in page  # 07:00 UTC in New York (EDT)
    assert "March 29, 2027, 9 a.m." in page  # and as it was meant, in Berlin


def test_a_time_in_the_past_is_refused(creator, platforms, link_account, publishable_video):
    link_account(creator, "youtube")
    with pytest.raises(DomainError) as refused:
        _schedule(creator, publishable_video(creator), datetime(2020, 1, 1, 9, 0))
    assert refused.value.code == "in_the_past"


def test_a_platform_must_be_linked_and_the_video_ready(creator, platforms, link_account, publishable_video):
    video = publishable_video(creator)
    with pytest.raises(DomainError) as refused:
        _schedule(creator, video, datetime(2027, 5, 1, 9, 0), platforms=("tiktok",))
    assert refused.value.code == "account_not_linked"
    link_account(creator, "tiktok")
    video.status = video.Status.RENDERING
    with pytest.raises(DomainError) as refused:
        _schedule(creator, video, datetime(2027, 5, 1, 9, 0), platforms=("tiktok",))
    assert refused.value.code == "video_not_ready"


@pytest.mark.parametrize(
    ("platform", "figures", "named"),
    [
        ("x", {"duration_seconds": 200.0}, "140 seconds"),
        ("instagram", {"duration_seconds": 1.5}, "at least 3 seconds"),
        ("x", {"width": 1080, "height": 4000}, "between 1:3 and 3:1"),
    ],
)
def test_media_breaking_a_platform_limit_is_refused_before_any_upload(
    creator, platforms, link_account, publishable_video, platform, figures, named
):
    link_account(creator, platform)
    video = publishable_video(creator, **figures)
    with pytest.raises(DomainError) as refused:
        _schedule(creator, video, datetime(2027, 5, 1, 9, 0), platforms=(platform,))
    assert refused.value.code == "media_limit"
    assert named in str(refused.value.message)
    assert platforms[platform].seen == []


def test_a_file_too_big_for_instagram_names_the_size_limit(creator, platforms, link_account, publishable_video):
    link_account(creator, "instagram")
    video = publishable_video(creator)
    video.size_bytes = 400 * 1024 * 1024
    with pytest.raises(DomainError) as refused:
        _schedule(creator, video, datetime(2027, 5, 1, 9, 0), platforms=("instagram",))
    assert "300 MB" in str(refused.value.message)


def test_publishing_counts_against_the_plan(creator, platforms, link_account, publishable_video, settings):
    link_account(creator, "youtube")
    video = publishable_video(creator)
    for day in range(1, 31):
        _schedule(creator, video, datetime(2027, 5, day, 9, 0))
    assert limits.usage(creator, limits.Metered.PUBLICATIONS) == 30
    with pytest.raises(LimitReached) as refused:
        _schedule(creator, video, datetime(2027, 6, 1, 9, 0))
    assert "30" in str(refused.value.message)


def test_cancel_and_reschedule_only_while_scheduled(
    creator, platforms, link_account, publishable_video, django_capture_on_commit_callbacks
):
    link_account(creator, "youtube")
    publication = _schedule(creator, publishable_video(creator), datetime(2027, 5, 1, 9, 0))

    publication = publication_reschedule(
        publication=publication, local_time=datetime(2027, 5, 2, 9, 0), time_zone="America/New_York"
    )
    assert publication.scheduled_at == datetime(2027, 5, 2, 13, 0, tzinfo=UTC)
    with pytest.raises(DomainError):
        publication_reschedule(
            publication=publication, local_time=datetime(2027, 3, 14, 2, 30), time_zone="America/New_York"
        )

    publication = publication_cancel(publication=publication)
    assert publication.status == Publication.Status.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        assert publications_claim_due(now=datetime(2027, 6, 1, tzinfo=UTC))["claimed"] == 0
    with pytest.raises(DomainError):
        publication_cancel(publication=publication)
    with pytest.raises(DomainError):
        publication_reschedule(publication=publication, local_time=datetime(2027, 5, 3, 9, 0), time_zone="UTC")


def test_publish_now_publishes_at_once(
    creator, platforms, link_account, publishable_video, django_capture_on_commit_callbacks
):
    link_account(creator, "youtube")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publication = _schedule(creator, publishable_video(creator), None)
    # The claim task ran on commit and dispatched the platform task, which ran on its own commit.
    while callbacks:
        pending = list(callbacks)
        callbacks.clear()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            for callback in pending:
                callback()
    publication.refresh_from_db()
    assert publication.status == Publication.Status.PUBLISHED
    assert publication.scheduled_at <= timezone.now()
