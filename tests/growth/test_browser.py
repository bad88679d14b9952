"""The feature board in a real browser: similar requests while typing, voting without a reload."""

import pytest

from growth.feature_models import FeatureRequest
from tests.browser import browser_context_for
from tests.factories import UserFactory
from tests.growth.factories import FeatureRequestFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_similar_requests_show_while_typing_and_votes_change_in_place(live_server, browser):
    FeatureRequestFactory(title="Dark mode for the editor")
    person = UserFactory(email="typist@example.com")
    page = browser_context_for(browser, live_server, person).new_page()
    page.goto(f"{live_server.url}/features/new/")
    page.get_by_label("Title").press_sequentially("dark mode please", delay=20)
    assert "Dark mode for the editor" in page.get_by_test_id("similar").inner_text()

    page.goto(f"{live_server.url}/features/")
    row = page.get_by_test_id("feature-row").first
    row.get_by_role("button", name="Vote up").click()
    page.wait_for_function("document.querySelector('[data-testid=vote-score]').textContent.trim() === '1'")
    assert FeatureRequest.objects.get().score == 1
    assert row.get_by_role("button", name="Vote up").get_attribute("aria-pressed") == "true"
