"""The detail page follows a render without reloading (htmx polling), in real headless Chromium."""

import threading

import pytest
from django.db import connections
from django.urls import reverse

from tests.browser import browser_context_for
from tests.videos.factories import TemplateFactory
from videos.models import Video, VideoVersion
from videos.render.spec import resolve_render_spec
from videos.services import version_render

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def browser_page(browser, live_server, creator):
    context = browser_context_for(browser, live_server, creator)
    yield context.new_page()
    context.close()


def in_another_thread(work):
    """Run ORM work in a thread of its own, as a worker would, and close its connection after."""
    result = {}

    def run() -> None:
        try:
            result["value"] = work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result["value"]


def queued_video(creator) -> tuple[Video, VideoVersion]:
    template = TemplateFactory()
    video = Video.objects.create(owner=creator, template=template, title="Live")
    version = VideoVersion.objects.create(
        video=video,
        number=1,
        created_by=creator,
        render_spec=resolve_render_spec(spec=template.scene_spec, duration=2, customization={}),
    )
    return video, version


def test_the_detail_page_shows_the_player_once_the_render_finishes(browser_page, live_server, creator):
    # A video whose first version waits in the queue for a worker.
    video, version = in_another_thread(lambda: queued_video(creator))
    browser_page.goto(live_server.url + reverse("videos:detail", args=[video.pk]))
    assert browser_page.locator("#video-status progress").count() == 1
    assert browser_page.locator("#video-status video").count() == 0

    assert in_another_thread(lambda: version_render(version_id=version.pk))  # the worker does its job

    browser_page.wait_for_selector("#video-status video", timeout=10_000)
    assert browser_page.locator("#video-status progress").count() == 0
    assert browser_page.locator("#video-status[hx-trigger]").count() == 0  # polling stopped


def test_typing_a_scene_text_updates_its_preview(browser_page, live_server):
    template = in_another_thread(lambda: TemplateFactory())
    browser_page.goto(live_server.url + reverse("videos:template_use", args=[template.slug]))
    images = browser_page.locator('[data-testid="scene-preview-image"]')
    # Each scene's frame arrives on its own once the page has loaded.
    images.nth(1).wait_for()
    assert images.count() == 2
    before = [images.nth(n).get_attribute("src") for n in range(2)]
    browser_page.get_by_label("Scene 1 text").fill("Something else entirely")
    # The first scene's frame changes after the pause in typing; the second stays as it was.
    browser_page.wait_for_function(
        "before => document.querySelectorAll('[data-testid=scene-preview-image]')[0].src !== before",
        arg=before[0],
        timeout=10_000,
    )
    assert images.nth(1).get_attribute("src") == before[1]
    browser_page.get_by_label("Scene 2 background").evaluate(
        "el => { el.value = '#00ff00'; el.dispatchEvent(new Event('input', {bubbles: true})); }"
    )
    browser_page.wait_for_function(
        "before => document.querySelectorAll('[data-testid=scene-preview-image]')[1].src !== before",
        arg=before[1],
        timeout=10_000,
    )
