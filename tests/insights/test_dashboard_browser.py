"""A person signs in with a real browser and sees their dashboard."""

import pytest
from django.utils import timezone

from insights.engagement_models import VideoDailyStat
from insights.services.engagement import engagement_rollups_rebuild
from tests.browser import browser_context_for
from tests.videos.factories import VideoFactory

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


def test_the_engagement_charts_are_drawn_and_their_figures_are_in_tables(browser, live_server, creator):
    video = VideoFactory(owner=creator, title="Launch teaser")
    VideoDailyStat.objects.create(
        video=video, owner=creator, platform="tiktok", day=timezone.localdate(), views=40, likes=4, shares=1
    )
    engagement_rollups_rebuild()
    context = browser_context_for(browser, live_server, creator)
    page = context.new_page()
    page.goto("/dashboard/")

    for chart in ("views-7-chart", "views-30-chart", "platform-chart"):
        assert page.evaluate(f"() => !!Chart.getChart('{chart}')"), chart
    assert "TikTok" in page.get_by_test_id("platforms").inner_text()
    page.get_by_text("Show as a table").first.click()
    assert "40" in page.get_by_role("region", name="Views in the last 7 days").inner_text()
    context.close()
