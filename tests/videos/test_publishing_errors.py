"""Failures per platform: transient ones wait and resume the same upload, permanent ones say what to do,
and a lost answer after the media was sent is looked up, or shown as unknown and never retried blindly."""

from datetime import timedelta

import pytest
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.utils import timezone

from config.errors import DomainError
from tests.videos.platform_servers import Fault
from tests.videos.publishing import MEDIA_BYTES
from videos.platforms.accounts import RECONNECT_FLAG, access_token_for
from videos.publishing_models import Publication, PublicationTarget
from videos.services.publishing import (
    publication_retry,
    publication_schedule,
    publications_claim_due,
    target_confirm_published,
    target_publish,
)

pytestmark = pytest.mark.django_db
TStatus = PublicationTarget.Status
# The request of each platform that first sends the media, and the one that makes the post.
FIRST = {
    "youtube": ("POST", "/upload/youtube/v3/videos"),
    "instagram": ("POST", "/media"),
    "tiktok": ("POST", "/video/init/"),
    "facebook": ("GET", "/me/accounts"),
    "x": ("POST", "/2/media/upload"),
}


@pytest.fixture(autouse=True)
def short_timeouts(settings):
    settings.PUBLISHING_HTTP_TIMEOUT_SECONDS = 0.5


@pytest.fixture
def scheduled(creator, platforms, link_account, publishable_video, django_capture_on_commit_callbacks):
    """A publication of the creator's video on `name`, due a minute ago; `tick(at)` runs the claim loop."""

    def make(*names: str, link=True):
        if link:
            for name in names:
                link_account(creator, name)
        video = publishable_video(creator)
        with django_capture_on_commit_callbacks(execute=True):
            publication = publication_schedule(
                user=creator,
                video=video,
                local_time=None,
                time_zone="UTC",
                targets=[{"platform": n, "caption": f"caption {n}"} for n in names],
            )
        return publication

    return make


@pytest.fixture
def tick(django_capture_on_commit_callbacks):
    """One run of the claim loop; `wait_out=True` first moves every waiting retry's time to now
    (the tests travel in the data, not the clock: the tasks check due times against the real one)."""

    def run(*, wait_out: bool = False):
        if wait_out:
            PublicationTarget.objects.filter(status=TStatus.RETRY_WAIT).update(
                next_attempt_at=timezone.now() - timedelta(seconds=1)
            )
        with django_capture_on_commit_callbacks(execute=True):
            return publications_claim_due()

    return run


@pytest.mark.parametrize("name", list(FIRST))
def test_429_waits_for_retry_after_then_publishes_once(scheduled, tick, platforms, name):
    method, path = FIRST[name]
    platforms[name].faults.append(Fault(method, path, status=429, headers={"Retry-After": "120"}))

    publication = scheduled(name)
    target = publication.targets.get()
    assert target.status == TStatus.RETRY_WAIT
    assert "429" in target.error_message
    assert target.next_attempt_at >= timezone.now() + timedelta(seconds=115)
    tick()  # not due yet: nothing is sent
    target.refresh_from_db()
    assert target.status == TStatus.RETRY_WAIT

    tick(wait_out=True)

    target.refresh_from_db()
    assert target.status == TStatus.PUBLISHED, target.error_message
    assert target.attempts == 2
    assert sum(platforms[name].published.values()) == 1


@pytest.mark.parametrize("name", list(FIRST))
def test_a_server_error_is_retried_with_backoff(scheduled, platforms, name):
    method, path = FIRST[name]
    platforms[name].faults.append(Fault(method, path, status=503))

    target = scheduled(name).targets.get()

    assert target.status == TStatus.RETRY_WAIT
    assert timezone.now() + timedelta(seconds=20) < target.next_attempt_at < timezone.now() + timedelta(seconds=40)


@pytest.mark.parametrize("name", list(FIRST))
def test_a_revoked_token_fails_with_what_to_do_and_marks_the_account(scheduled, platforms, name):
    platforms[name].tokens.clear()

    publication = scheduled(name)

    target = publication.targets.get()
    publication.refresh_from_db()
    assert publication.status == Publication.Status.FAILED
    assert target.status == TStatus.FAILED
    assert "Reconnect" in target.error_action
    assert SocialAccount.objects.get(pk=target.social_account_id).extra_data[RECONNECT_FLAG] is True


@pytest.mark.parametrize("name", list(FIRST))
def test_a_timeout_before_the_media_was_sent_is_transient(scheduled, platforms, name):
    method, path = FIRST[name]
    platforms[name].faults.append(Fault(method, path, hang=1.0))

    target = scheduled(name).targets.get()

    assert target.status == TStatus.RETRY_WAIT
    assert sum(platforms[name].published.values()) == 0


# The request whose answer is lost after the platform did the work, per platform, and how it ends.
LOST_ANSWER = {
    # The upload session says the upload is complete: looked up at once.
    "youtube": (
        Fault(
            "PUT",
            "/upload/session/",
            after_processing=True,
            hang=1.0,
            when=lambda s: s.body_size < 256 * 1024 and s.body_size > 0,
        ),
        1,
        TStatus.PUBLISHED,
    ),
    # The container says PUBLISHED: looked up at once.
    "instagram": (Fault("POST", "/media_publish", after_processing=True, hang=1.0), 1, TStatus.PUBLISHED),
    # The last chunk's answer is lost; the next attempt asks the publish id's status first.
    "tiktok": (
        Fault("PUT", "/upload/", after_processing=True, hang=1.0, when=lambda s: s.body_size < 256 * 1024),
        2,
        TStatus.PUBLISHED,
    ),
    # The video's status says the finish went through: looked up at once.
    "facebook": (
        Fault(
            "POST", "/videos", after_processing=True, hang=1.0, when=lambda s: s.fields.get("upload_phase") == "finish"
        ),
        1,
        TStatus.PUBLISHED,
    ),
    # X cannot be asked: unknown.
    "x": (Fault("POST", "/2/tweets", after_processing=True, hang=1.0), 1, TStatus.UNKNOWN),
}


@pytest.mark.parametrize("name", list(LOST_ANSWER))
def test_a_lost_answer_after_the_media_was_sent_is_looked_up_or_unknown_never_posted_twice(
    scheduled, tick, platforms, name
):
    fault, ticks, outcome = LOST_ANSWER[name]
    platforms[name].faults.append(fault)

    publication = scheduled(name)
    for _ in range(ticks - 1):
        tick(wait_out=True)

    target = publication.targets.get()
    assert target.status == outcome, target.error_message
    assert sum(platforms[name].published.values()) == 1
    for _ in range(3):  # later ticks and redelivered tasks change nothing
        tick(wait_out=True)
        assert target_publish(target_id=target.pk) == "skipped"
    assert sum(platforms[name].published.values()) == 1


def test_an_unknown_outcome_is_retried_only_when_confirmed(
    scheduled, tick, platforms, django_capture_on_commit_callbacks
):
    platforms["x"].faults.append(Fault("POST", "/2/tweets", after_processing=True, hang=1.0))
    publication = scheduled("x", "youtube")
    target = publication.targets.get(platform="x")
    assert target.status == TStatus.UNKNOWN
    assert "Check your X account" in target.error_action
    publication.refresh_from_db()
    assert publication.status == Publication.Status.PARTLY_PUBLISHED

    with pytest.raises(DomainError) as refused:
        publication_retry(publication=publication)
    assert refused.value.code == "unknown_needs_confirmation"
    assert sum(platforms["x"].published.values()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        publication_retry(publication=publication, confirm_unknown=True)
    target.refresh_from_db()
    assert target.status == TStatus.PUBLISHED
    assert sum(platforms["x"].published.values()) == 2  # the person chose to post again


def test_an_unknown_outcome_can_be_confirmed_as_published(scheduled, platforms):
    platforms["x"].faults.append(Fault("POST", "/2/tweets", after_processing=True, hang=1.0))
    target = scheduled("x").targets.get()

    target_confirm_published(target=target, public_url="https://x.com/cora/status/1")

    target.refresh_from_db()
    assert target.status == TStatus.PUBLISHED
    assert Publication.objects.get(pk=target.publication_id).status == Publication.Status.PUBLISHED


def test_a_retry_resumes_the_youtube_session_instead_of_uploading_again(scheduled, tick, platforms):
    platforms["youtube"].faults.append(
        Fault(
            "PUT", "/upload/session/", status=503, when=lambda s: "bytes 262144-" in s.headers.get("content-range", "")
        )
    )

    target = scheduled("youtube").targets.get()
    assert target.status == TStatus.RETRY_WAIT
    assert target.upload_state["offset"] == 256 * 1024

    tick(wait_out=True)

    target.refresh_from_db()
    assert target.status == TStatus.PUBLISHED
    server = platforms["youtube"]
    assert len(server.requests_to("/upload/youtube/v3/videos", "POST")) == 1  # one session
    ranges = [s.headers["content-range"] for s in server.requests_to("/upload/session/", "PUT")]
    assert ranges[2] == f"bytes */{MEDIA_BYTES}"  # the retry asked the session where it stood
    assert ranges[3].startswith("bytes 262144-")
    assert sum(s["received"] for s in [next(iter(server.sessions.values()))]) == MEDIA_BYTES


def test_a_retry_resumes_tiktok_and_x_uploads_where_they_stopped(scheduled, tick, platforms):
    platforms["tiktok"].faults.append(Fault("PUT", "/upload/", status=503, when=lambda s: s.body_size < 256 * 1024))
    platforms["x"].faults.append(
        Fault("POST", "/2/media/upload", status=500, when=lambda s: s.fields.get("segment_index") == "2")
    )
    publication = scheduled("tiktok", "x")

    tick(wait_out=True)

    assert {t.status for t in publication.targets.all()} == {TStatus.PUBLISHED}
    assert len(platforms["tiktok"].requests_to("/video/init/")) == 1
    assert [
        s.fields["segment_index"]
        for s in platforms["x"].requests_to("/2/media/upload")
        if s.fields.get("command") == "APPEND"
    ] == ["0", "1", "2", "2"]
    assert len([s for s in platforms["x"].seen if s.fields.get("command") == "INIT"]) == 1


def test_an_expired_token_is_refreshed_before_the_upload(creator, platforms, link_account, scheduled):
    link_account(creator, "youtube", expires_in=-60)

    target = scheduled("youtube", link=False).targets.get()

    assert target.status == TStatus.PUBLISHED
    refresh = platforms["youtube"].refreshes[0]
    assert refresh == {
        "grant_type": "refresh_token",
        "refresh_token": "refresh-1",
        "client_id": "google-client",
        "client_secret": "google-secret",
    }
    used = platforms["youtube"].requests_to("/upload/youtube/v3/videos")[0].headers["authorization"]
    assert used.startswith("Bearer fresh-")
    stored = SocialToken.objects.get(account__user=creator)
    assert stored.token.startswith("sealed:")  # kept encrypted
    assert used[7:] not in stored.token
    assert stored.expires_at > timezone.now() + timedelta(minutes=50)
    assert access_token_for(account_id=stored.account_id) == used[7:]  # no second refresh


def test_x_and_tiktok_refresh_the_way_they_document(creator, platforms, link_account):
    x = link_account(creator, "x", expires_in=-1)
    tiktok = link_account(creator, "tiktok", expires_in=-1)
    access_token_for(account_id=x.pk)
    access_token_for(account_id=tiktok.pk)
    assert platforms["x"].refreshes[0] == {
        "grant_type": "refresh_token",
        "refresh_token": "refresh-1",
        "client_id": "twitter_oauth2-client",
    }
    assert platforms["tiktok"].refreshes[0]["client_key"] == "tiktok-client"


def test_a_refused_refresh_asks_to_reconnect(creator, platforms, link_account, scheduled):
    account = link_account(creator, "tiktok", expires_in=-60, refresh="revoked")

    target = scheduled("tiktok", link=False).targets.get()

    assert target.status == TStatus.FAILED
    assert "Reconnect" in target.error_action
    account.refresh_from_db()
    assert account.extra_data[RECONNECT_FLAG] is True
    assert platforms["tiktok"].requests_to("/video/init/") == []


def test_transient_failures_give_up_after_the_attempt_limit(scheduled, tick, platforms, settings):
    settings.PUBLISHING_MAX_ATTEMPTS = 3
    platforms["facebook"].faults.append(Fault("GET", "/me/accounts", status=502, times=10))
    target = scheduled("facebook").targets.get()
    for _ in range(3):
        tick(wait_out=True)
    target.refresh_from_db()
    assert target.status == TStatus.FAILED
    assert "3 attempts" in target.error_message
