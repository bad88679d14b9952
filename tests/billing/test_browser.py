"""The upgrade journey in a real browser: pricing toggle, upgrade, cancel, resume."""

import pytest

from billing import limits
from billing.models import Subscription
from tests.browser import browser_context_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_creator_upgrades_to_annual_pro_cancels_and_resumes_in_the_browser(live_server, browser):
    creator = UserFactory(email="browser@example.com")
    page = browser_context_for(browser, live_server, creator).new_page()
    page.goto(f"{live_server.url}/pricing/")
    page.get_by_role("link", name="Annual").click()
    pro_card = page.locator("[data-plan=pro]")
    assert "120.00 USD" in pro_card.inner_text()
    pro_card.get_by_role("button", name="Upgrade to Pro").click()
    assert "Welcome to Pro!" in page.get_by_test_id("checkout-done").inner_text()

    page.get_by_role("button", name="Cancel at period end").click()
    assert "will end at the end of the current period" in page.content()
    page.get_by_role("button", name="Keep Pro").click()
    assert "Your subscription will continue." in page.content()

    subscription = Subscription.objects.get(user=creator)
    assert (subscription.interval, subscription.cancel_at_period_end) == ("year", False)
    assert limits.plan_code_for(creator) == "pro"
