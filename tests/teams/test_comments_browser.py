"""In real headless Chromium: a reviewer pins a comment to the player's time and sees it in the thread."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from teams.models import Comment, Membership, Notification, Team
from tests.browser import browser_context_for
from tests.factories import UserFactory
from tests.videos.factories import VideoFactory
from tests.videos.media_tools import make_clip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def ready_video(media_root, tmp_path):
    """A team video that finished rendering: a real two-second clip in storage."""
    owner = UserFactory(email="olive@example.com", display_name="Olive Owner")
    reviewer = UserFactory(email="vera@example.com", display_name="Vera Viewer")
    team = Team.objects.create(name="Review Room", slug="review-room", created_by=owner)
    Membership.objects.create(team=team, user=owner, role=Membership.Role.OWNER)
    Membership.objects.create(team=team, user=reviewer, role=Membership.Role.VIEWER)
    clip = make_clip(tmp_path / "clip.mp4", seconds=2, audio=False)
    with clip.open("rb") as handle:
        name = default_storage.save("videos/review/clip.mp4", File(handle))
    video = VideoFactory(
        owner=owner, team=team, title="Launch cut", file=name, duration_seconds=2.0, width=64, height=36
    )
    return video, owner, reviewer


def signed_in_page(browser, live_server, user, media_root):
    page = browser_context_for(browser, live_server, user).new_page()
    page.media_answers = []

    # Django's test server answers MEDIA_URL itself, before the URLconf, without byte ranges (so the
    # player could not seek) and without the signature check: hand the browser's requests to the
    # real media view instead, and note how it answered.
    def through_the_media_view(route) -> None:
        url = urlsplit(route.request.url)
        headers = {"HTTP_RANGE": route.request.headers["range"]} if "range" in route.request.headers else {}
        response = Client().get(f"{url.path}?{url.query}", **headers)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        page.media_answers.append(response.status_code)
        route.fulfill(status=response.status_code, body=body, headers=dict(response.items()))

    page.route(f"**{settings.MEDIA_URL}**", through_the_media_view)
    return page


def test_a_reviewer_adds_a_comment_at_the_players_time_and_sees_it_in_the_thread(
    ready_video, browser, live_server, media_root
):
    video, owner, reviewer = ready_video
    page = signed_in_page(browser, live_server, owner, media_root)
    page.goto(reverse("videos:detail", args=[video.pk]))

    page.wait_for_selector("#comments-body form.comment-form")
    assert page.locator("#comments .empty").is_visible()

    # Pause the player at 1.5 s: the comment form's timestamp follows it.
    page.wait_for_function("document.querySelector('video.player').readyState >= 1")
    page.evaluate("document.querySelector('video.player').currentTime = 1.5")
    page.wait_for_function("document.querySelector('#comment-timestamp').value === '1.5'")

    # Typing "@ve" offers Vera; picking her writes the mention.
    page.locator("#comment-body").press_sequentially("Logo comes in late @ve")
    page.locator(".mention-suggestions button", has_text="Vera Viewer").click()
    assert page.locator("#comment-body").input_value() == "Logo comes in late @[Vera Viewer] "
    page.locator("#comment-body").press_sequentially("<script>window.pwned=1</script>")
    page.locator("form.comment-form button[type=submit]").click()

    thread = page.locator(".comment-thread", has_text="Logo comes in late")
    thread.wait_for()
    assert thread.locator(".timestamp-chip").inner_text() == "0:01"
    assert "@[Vera Viewer] window.pwned=1" in thread.locator(".comment-body").inner_text()
    assert page.evaluate("window.pwned") is None
    assert page.locator("#comment-body").input_value() == ""  # the form was replaced, not the page
    assert page.locator("#comments .empty").count() == 0

    # The chip seeks the player back to the comment's moment.
    page.evaluate("document.querySelector('video.player').currentTime = 0")
    thread.locator(".timestamp-chip").click()
    page.wait_for_function("Math.abs(document.querySelector('video.player').currentTime - 1.5) < 0.01")
    # The player read the video in byte ranges, which the signed media URL answers.
    assert 206 in page.media_answers and set(page.media_answers) <= {200, 206}

    # Resolve it, then hide resolved threads — all without leaving the page.
    thread.locator("button", has_text="Resolve").click()
    page.locator(".comment-thread.resolved").wait_for()
    page.locator("#comments-filter input").check()
    page.locator("#comments .empty", has_text="Every thread is resolved.").wait_for()

    comment = Comment.objects.get()
    assert comment.timestamp_seconds == 1.5 and comment.is_resolved
    assert list(comment.mentions.all()) == [reviewer]
    assert Notification.objects.filter(recipient=reviewer, kind="mention").count() == 1
