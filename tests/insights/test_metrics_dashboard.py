"""The BI dashboard in the ops console: figures from the snapshots, a date range, CSV for every table."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from insights.event_names import EventName
from insights.metrics import revenue
from insights.models import AcquisitionSpend, DailySnapshot
from insights.services import daily_snapshot_build
from tests.insights.metrics_fixtures import at, event, invoice, person

pytestmark = pytest.mark.django_db

URL = reverse("admin:insights_bidashboard_changelist")
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def march():
    """Two signups in March, one pays from 10 March; snapshots of every March day (the cohorts of the last)."""
    ana, ben = person(at(3, 2)), person(at(3, 9))
    for actor in (ana, ben):
        event(EventName.USER_SIGNED_UP, actor, actor.date_joined)
    event(EventName.PAGE_VIEWED, None, at(3, 1), visitor="anon-1")
    event(EventName.PAGE_VIEWED, None, at(3, 2), visitor="anon-2")
    event(EventName.PAGE_VIEWED, None, at(3, 9), visitor="anon-3")
    event(EventName.VIDEO_CREATED, ana, at(3, 3))
    invoice(ana, at(3, 10), at(4, 10))
    AcquisitionSpend.objects.create(channel="paid_social", month=date(2026, 3, 1), amount_cents=50000)
    for n in range(1, 31):
        daily_snapshot_build(day=date(2026, 3, n), families=["revenue", "users", "content", "funnel"])
    daily_snapshot_build(day=date(2026, 3, 31))


def table(response, key):
    return response.context["tables"][key]


def test_the_dashboard_shows_revenue_users_content_cohorts_and_funnel(staff_client, march):
    response = staff_client.get(URL, MARCH)
    assert response.status_code == 200
    revenue_rows = dict(table(response, "revenue").rows)
    assert revenue_rows["MRR at the end"] == "12.00"
    assert revenue_rows["ARR"] == "144.00"
    assert revenue_rows["New customers"] == "1"
    assert revenue_rows["CAC"] == "500.00"
    assert revenue_rows["MRR against the previous period"] == "—"  # nothing to grow from in February
    users = dict(table(response, "users").rows)
    assert (users["Total users"], users["New signups"]) == ("2", "2")
    assert users["Activation (signups who verified and made a video)"] == "50.0 %"
    funnel = table(response, "funnel").rows
    assert [row[1] for row in funnel] == ["3", "2", "2", "1", "1"]
    assert funnel[3][4]  # first video keeps 50 %: flagged
    cohorts = table(response, "cohorts")
    assert cohorts.rows[-1][:3] == ["March 2026", "2", "100.0 %"]
    assert cohorts.classes[-1][2] == "heat-4"
    assert response.context["days_with_snapshots"] == 31
    html = response.content.decode()
    assert 'role="region"' in html and "bi-trend-chart" in html
    # The definitions come from the functions' docstrings.
    assert revenue.mrr.__doc__.split()[0] in html


def test_every_table_downloads_as_csv(staff_client, march):
    for key in ("revenue", "users", "content", "platforms", "templates", "trends", "cohorts", "funnel", "adoption"):
        response = staff_client.get(URL, {**MARCH, "csv": key})
        assert response["Content-Type"].startswith("text/csv"), key
        assert f"{key}-20260301-20260331.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(staff_client.get(URL, {**MARCH, "csv": "funnel"}).content.decode())))
    assert rows[0] == ["Step", "People", "Conversion", "Drop-off", "Flag"]
    assert rows[1][:2] == ["Visitors", "3"]


def test_the_range_changes_the_figures_and_a_bad_range_falls_back(staff_client, march):
    february = staff_client.get(URL, {"start": "2026-02-01", "end": "2026-02-28"})
    assert dict(table(february, "users").rows)["New signups"] == "0"
    backwards = staff_client.get(URL, {"start": "2026-03-31", "end": "2026-03-01"})
    assert backwards.status_code == 200
    assert "The start must be on or before the end." in backwards.content.decode()


def test_the_page_costs_the_same_few_queries_for_a_month_or_a_year(staff_client, march, django_assert_max_num_queries):
    staff_client.get(URL, MARCH)
    with django_assert_max_num_queries(12) as month:
        staff_client.get(URL, MARCH)
    with django_assert_max_num_queries(len(month.captured_queries)):
        staff_client.get(URL, {"start": "2025-04-01", "end": "2026-03-31"})


def test_it_is_for_staff_only_and_on_the_console_index(creator_client, staff_client):
    assert creator_client.get(URL).status_code == 302
    assert URL in staff_client.get(reverse("admin:index")).content.decode()


def test_an_empty_console_shows_the_page_with_empty_tables(staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert response.context["days_with_snapshots"] == 0
    assert not DailySnapshot.objects.exists()
    assert response.context["end"] == timezone.now().date() - timedelta(days=1)


def test_csv_cells_cannot_run_as_spreadsheet_formulas():
    from insights.metrics_admin import csv_cell

    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell("-2+3") == "'-2+3"
    assert csv_cell("-12.5 %") == "-12.5 %"
    assert csv_cell("Brand Story") == "Brand Story"
