"""The detail page follows a render without reloading (htmx polling), in real headless Chromium."""

import os
import threading

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client
from django.urls import reverse

from tests.videos.factories import TemplateFactory
from videos.models import Video, VideoVersion
from videos.render.spec import resolve_render_spec
from videos.services import version_render

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def browser_page(live_server, creator):
    sync_api = pytest.importorskip("playwright.sync_api")
    client = Client()
    client.force_login(creator)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
        context = browser.new_context()
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )
        yield context.new_page()
        browser.close()


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
