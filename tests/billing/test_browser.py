"""The upgrade journey in a real browser: pricing toggle, upgrade, cancel, resume."""

import pytest
from django.conf import settings
from django.test import Client

from billing import limits
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
        page = browser.new_page()
        yield page
        browser.close()


def test_a_creator_upgrades_to_annual_pro_cancels_and_resumes_in_the_browser(live_server, browser_page):
    creator = UserFactory(email="browser@example.com")
    client = Client()
    client.force_login(creator)
    browser_page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = browser_page
    page.goto(f"{live_server.url}/pricing/")
    page.get_by_role("link", name="Annual").click()
    assert "120.00 USD" in page.locator("[data-plan=pro]").inner_text()
    page.locator("[data-plan=pro]").get_by_role("button", name="Upgrade to Pro").click()
    assert "Welcome to Pro!" in page.get_by_test_id("checkout-done").inner_text()
    assert limits.plan_code_for(creator) == "pro"

    page.get_by_role("button", name="Cancel at period end").click()
    assert "will end at the end of the current period" in page.content()
    page.get_by_role("button", name="Keep Pro").click()
    assert "Your subscription will continue." in page.content()
    assert "Cancel at period end" in page.content()
