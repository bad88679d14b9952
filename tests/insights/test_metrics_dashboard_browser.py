"""The BI dashboard in real headless Chromium: the trend chart is drawn, and the dashboard's own
content (tables, heat map, form) passes axe-core on a phone and a laptop."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from insights.event_names import EventName
from insights.services import daily_snapshot_build
from tests.browser import browser_context_for
from tests.insights.metrics_fixtures import event, invoice, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The same axe-core, rules and viewports as the page walk (tests/config/test_pages_browser.py).
AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 800}}


def test_the_bi_dashboard_draws_its_chart_and_passes_axe(browser, live_server, staff):
    yesterday = timezone.now().date() - timedelta(days=1)
    ana = person(timezone.now() - timedelta(days=40))
    event(EventName.USER_SIGNED_UP, ana, ana.date_joined)
    event(EventName.USER_LOGGED_IN, ana, timezone.now() - timedelta(days=2))
    invoice(ana, timezone.now() - timedelta(days=20), timezone.now() + timedelta(days=10))
    daily_snapshot_build(day=yesterday)
    daily_snapshot_build(day=yesterday - timedelta(days=1), families=["revenue", "users", "content", "funnel"])
    tab = browser_context_for(browser, live_server, staff).new_page()
    problems = []
    for name, viewport in VIEWPORTS.items():
        tab.set_viewport_size(viewport)
        tab.goto(reverse("admin:insights_bidashboard_changelist"))
        assert tab.evaluate("() => !!window.Chart && !!Chart.getChart('bi-trend-chart')")
        assert "12.00" in tab.locator("#table-revenue").inner_text()
        tab.add_script_tag(path=str(AXE))
        violations = tab.evaluate(
            """async (tags) => {
                const result = await axe.run('#bi-dashboard', {runOnly: {type: 'tag', values: tags}});
                return result.violations.map(v => v.id + ' ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3));
            }""",
            AXE_TAGS,
        )
        problems += [f"{name}: {violation}" for violation in violations]
    assert problems == []
