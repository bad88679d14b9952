"""Each platform's client speaks its documented upload flow to a local server that checks what arrives."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.videos.platform_servers import ACCESS_TOKEN, Fault
from tests.videos.publishing import MEDIA_BYTES
from videos.publishing_models import Publication, PublicationTarget
from videos.services.publishing import publication_schedule, publications_claim_due

pytestmark = pytest.mark.django_db
CHUNK = 256 * 1024
TStatus = PublicationTarget.Status


@pytest.fixture
def publish(creator, platforms, link_account, publishable_video, django_capture_on_commit_callbacks):
    """Schedule the creator's video on `names` for a minute from now, run the claim loop then, and
    return the publication with its targets (tasks run in-process)."""

    def run(*names: str, caption: str = "Hello world", tags=(), privacy="public", video=None, link=True):
        video = video or publishable_video(creator)
        if link:
            for name in names:
                link_account(creator, name)
        when = timezone.now() + timedelta(minutes=2)
        local = when.astimezone(timezone.get_default_timezone()).replace(tzinfo=None)
        with django_capture_on_commit_callbacks(execute=True):
            publication = publication_schedule(
                user=creator,
                video=video,
                local_time=local,
                time_zone="UTC",
                targets=[
                    {"platform": n, "caption": caption, "title": "My title", "tags": list(tags), "privacy": privacy}
                    for n in names
                ],
            )
        with django_capture_on_commit_callbacks(execute=True):
            publications_claim_due(now=when + timedelta(seconds=1))
        publication.refresh_from_db()
        return publication

    return run


def target(publication: Publication, platform: str) -> PublicationTarget:
    return publication.targets.get(platform=platform)


def test_youtube_resumable_upload_sends_metadata_then_chunks_in_order(publish, platforms):
    publication = publish("youtube", tags=["tips", "howto"], privacy="unlisted")

    assert publication.status == Publication.Status.PUBLISHED
    result = target(publication, "youtube")
    assert result.status == TStatus.PUBLISHED
    assert result.public_url == f"https://www.youtube.com/watch?v={result.remote_id}"
    start = platforms["youtube"].requests_to("/upload/youtube/v3/videos")[0]
    assert start.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert start.query == {"uploadType": "resumable", "part": "snippet,status"}
    assert start.headers["x-upload-content-length"] == str(MEDIA_BYTES)
    assert start.fields["snippet"]["tags"] == ["tips", "howto"]
    assert start.fields["status"]["privacyStatus"] == "unlisted"
    chunks = platforms["youtube"].requests_to("/upload/session/", "PUT")
    assert [c.headers["content-range"] for c in chunks] == [
        f"bytes 0-{CHUNK - 1}/{MEDIA_BYTES}",
        f"bytes {CHUNK}-{2 * CHUNK - 1}/{MEDIA_BYTES}",
        f"bytes {2 * CHUNK}-{MEDIA_BYTES - 1}/{MEDIA_BYTES}",
    ]
    assert [c.body_size for c in chunks] == [CHUNK, CHUNK, MEDIA_BYTES - 2 * CHUNK]
    assert platforms["youtube"].published == {"Hello world": 1}


def test_instagram_creates_a_reels_container_waits_for_it_then_publishes(publish, platforms):
    publication = publish("instagram", tags=["reel"])

    result = target(publication, "instagram")
    assert result.status == TStatus.PUBLISHED, result.error_message
    assert result.public_url == f"https://instagram.test/reel/{result.remote_id}"
    created = platforms["instagram"].requests_to("/media", "POST")[0]
    assert created.path == f"/{result.social_account.uid}/media"
    assert created.fields["media_type"] == "REELS"
    assert created.fields["video_url"].startswith("http")
    assert created.fields["caption"] == "Hello world #reel"
    assert created.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    polls = [s for s in platforms["instagram"].seen if s.query.get("fields") == "status_code,status"]
    assert len(polls) == 2  # IN_PROGRESS, then FINISHED
    assert len(platforms["instagram"].requests_to("/media_publish")) == 1
    assert platforms["instagram"].published == {"Hello world #reel": 1}


def test_tiktok_inits_a_file_upload_and_puts_chunks_as_announced(publish, platforms):
    publication = publish("tiktok", privacy="private")

    result = target(publication, "tiktok")
    assert result.status == TStatus.PUBLISHED, result.error_message
    assert result.public_url == f"https://www.tiktok.com/@cora/video/{result.remote_id}"
    init = platforms["tiktok"].requests_to("/v2/post/publish/video/init/")[0]
    assert init.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert init.fields["source_info"] == {
        "source": "FILE_UPLOAD",
        "video_size": MEDIA_BYTES,
        "chunk_size": CHUNK,
        "total_chunk_count": 2,  # the last chunk takes the remainder, as TikTok counts
    }
    assert init.fields["post_info"]["privacy_level"] == "SELF_ONLY"
    puts = platforms["tiktok"].requests_to("/upload/", "PUT")
    assert [p.body_size for p in puts] == [CHUNK, MEDIA_BYTES - CHUNK]
    assert [p.headers["content-range"] for p in puts] == [
        f"bytes 0-{CHUNK - 1}/{MEDIA_BYTES}",
        f"bytes {CHUNK}-{MEDIA_BYTES - 1}/{MEDIA_BYTES}",
    ]
    assert platforms["tiktok"].published == {"Hello world": 1}


def test_facebook_uploads_to_the_page_in_start_transfer_finish_phases(publish, platforms):
    publication = publish("facebook")

    result = target(publication, "facebook")
    assert result.status == TStatus.PUBLISHED, result.error_message
    assert result.public_url == f"https://www.facebook.com/page1/videos/{result.remote_id}"
    posts = platforms["facebook"].requests_to("/page1/videos", "POST")
    assert [p.fields["upload_phase"] for p in posts] == ["start", "transfer", "transfer", "transfer", "finish"]
    assert all(p.headers["authorization"] == "Bearer page-token-1" for p in posts)
    assert [p.fields.get("start_offset") for p in posts[1:4]] == ["0", str(300 * 1024), str(600 * 1024)]
    assert posts[-1].fields["title"] == "My title"
    assert platforms["facebook"].published == {"Hello world": 1}


def test_x_uploads_in_segments_then_posts_with_the_media(publish, platforms):
    publication = publish("x", tags=["news"])

    result = target(publication, "x")
    assert result.status == TStatus.PUBLISHED, result.error_message
    assert result.public_url == f"https://x.com/i/web/status/{result.remote_id}"
    commands = [
        s.fields.get("command") or s.query.get("command") for s in platforms["x"].requests_to("/2/media/upload")
    ]
    assert commands == ["INIT", "APPEND", "APPEND", "APPEND", "FINALIZE", "STATUS"]
    appends = [s for s in platforms["x"].requests_to("/2/media/upload") if s.fields.get("command") == "APPEND"]
    assert [a.fields["segment_index"] for a in appends] == ["0", "1", "2"]
    tweet = platforms["x"].requests_to("/2/tweets", "POST")[0]
    assert tweet.fields["text"] == "Hello world #news"
    assert tweet.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert platforms["x"].published == {"Hello world #news": 1}


def test_all_five_at_once_each_publishes_once(publish, platforms, mailoutbox):
    publication = publish("youtube", "instagram", "tiktok", "facebook", "x")

    assert publication.status == Publication.Status.PUBLISHED
    assert {t.status for t in publication.targets.all()} == {TStatus.PUBLISHED}
    assert all(sum(counter.values()) == 1 for counter in platforms.published().values())


def test_a_failing_platform_does_not_fail_the_others(publish, platforms):
    platforms["tiktok"].faults.append(
        Fault(
            "POST",
            "/video/init/",
            status=400,
            body={"error": {"code": "spam_risk_too_many_posts", "message": "Too many posts today"}},
        )
    )

    publication = publish("youtube", "tiktok")

    assert publication.status == Publication.Status.PARTLY_PUBLISHED
    failed = target(publication, "tiktok")
    assert failed.status == TStatus.FAILED
    assert "Too many posts today" in failed.error_message
    assert failed.error_action
    assert target(publication, "youtube").status == TStatus.PUBLISHED


def test_stats_are_read_from_each_platform(creator, platforms, link_account):
    from videos.platforms import client_class

    expected = {
        "youtube": (120, 7, 0),
        "instagram": (50, 4, 2),
        "tiktok": (900, 80, 12),
        "facebook": (300, 10, 0),
        "x": (70, 5, 2),
    }
    for name, figures in expected.items():
        client = client_class(name)(access_token=ACCESS_TOKEN, account_uid="u1")
        stats = client.stats("remote-1")
        assert (stats.views, stats.likes, stats.shares) == figures, name


def test_a_published_posts_stats_are_read_through_its_account(publish):
    from videos.services.publishing import target_stats

    stats = target_stats(target=target(publish("tiktok"), "tiktok"))

    assert (stats.views, stats.likes, stats.shares) == (900, 80, 12)
