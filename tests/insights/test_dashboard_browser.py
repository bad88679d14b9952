"""A person signs in with a real browser and sees their dashboard."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_see_the_dashboard(page, creator, password, tmp_path):
    page.goto("/")
    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_label("E-mail").fill(creator.email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Cora Creator"
    # The sign-in itself shows up in the activity, counted from the event log.
    assert page.get_by_test_id("activity-total").inner_text() == "1"
    assert "User signed in" in page.locator(".timeline").inner_text()
    # Chart.js (vendored, no CDN) drew the activity chart.
    assert page.evaluate("() => !!window.Chart && !!Chart.getChart('activity-chart')")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
