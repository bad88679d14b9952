"""Headless Chromium from Debian, driven by Playwright from PyPI (its own browser download cannot work here).

Every browser test uses these fixtures: `browser` launches Chromium, `page` opens a page on the
live server, and `browser_context_for` gives a context already signed in as a person.
"""

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


@pytest.fixture
def browser(monkeypatch) -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium is not installed (apt-get install chromium); `make test` and CI install it")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around
    # it are still synchronous and safe. Set for the test only: the deploy check refuses it.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield launched
        launched.close()
    # Inside the loop the test's ORM calls got connections of their own; close them so PostgreSQL
    # can drop the test database at the end.
    connections.close_all()


def browser_context_for(browser: Any, live_server: Any, user: Any = None) -> Any:
    """A browser context on the live server, signed in as `user` when one is given."""
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(15_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


@pytest.fixture
def page(browser, live_server) -> Iterator[Any]:
    context = browser_context_for(browser, live_server)
    yield context.new_page()
    context.close()
