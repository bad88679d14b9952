"""The weekly retrospective: its registry of sections, the quick-win rules, the e-mail, command and page."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_celery_beat.models import PeriodicTask

from insights import retrospective
from insights.models import AlertEpisode, AlertRule, RetrospectiveSend
from insights.request_timing import BUFFER
from insights.retrospective import (
    address_top_detractor_theme,
    answer_top_support_category,
    fix_failing_routes,
    improve_dropping_funnel_steps,
    last_full_week,
    register_section,
    retrospective_build,
    retrospective_send,
    speed_up_slow_routes,
    tune_noisy_alerts,
)
from teams.models import OutboundEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)  # a Wednesday
SINCE, UNTIL = datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 11, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _registry_restored():
    sections, rules = dict(retrospective.SECTIONS), list(retrospective.QUICK_WIN_RULES)
    BUFFER.clear()
    yield
    retrospective.SECTIONS.clear()
    retrospective.SECTIONS.update(sections)
    retrospective.QUICK_WIN_RULES[:] = rules


def test_the_report_covers_the_last_full_week_monday_to_monday():
    assert last_full_week(now=NOW) == (SINCE, UNTIL)
    assert last_full_week(now=UNTIL) == (SINCE, UNTIL)


def test_adding_a_section_is_one_call_and_its_rows_feed_the_quick_win_rules():
    register_section(
        "funnel_drops", "Funnel steps dropping", lambda since, until: [{"step": "verified", "drop_percent": 35.0}]
    )
    report = retrospective_build(since=SINCE, until=UNTIL)
    assert [s.key for s in report.sections] == [
        "slowest_routes",
        "alerts",
        "funnel_drops",
        "support_categories",
        "detractor_themes",
    ]
    assert report.sections[2].columns == ["step", "drop_percent"]
    assert report.quick_wins == ["Improve the funnel step “verified”: 35.0 % drop."]


def test_the_funnel_support_and_detractor_sections_read_the_metrics_the_inbox_and_the_survey():
    """The sections the other insights modules feed: the week's funnel, support requests and NPS answers."""
    from insights.events import EventName
    from insights.models import Event, NpsResponse, SupportRequest

    monday = SINCE + timedelta(hours=10)
    for n in range(10):
        Event.objects.create(name=EventName.PAGE_VIEWED, payload={"visitor": f"anon-{n}"}, occurred_at=monday)
    for _ in range(4):
        UserFactory(date_joined=monday)
    person = UserFactory()
    for category in ("billing", "billing", "bug"):
        SupportRequest.objects.create(user=person, category=category, subject="x", created_at=monday)
    SupportRequest.objects.create(
        user=person, category="bug", subject="last week", created_at=SINCE - timedelta(days=2)
    )
    for feedback in ("Too expensive for me", "The price went up", "Exports are slow"):
        NpsResponse.objects.create(
            user=person,
            score=3,
            category="detractor",
            feedback=feedback,
            channel="in_app",
            segment="new",
            created_at=monday,
        )

    report = retrospective_build(since=SINCE, until=UNTIL)
    rows = {section.key: section.rows for section in report.sections}

    # 10 visitors, 4 signups (60 % lost), none verified… every step after the visitors drops more than 20 %.
    assert rows["funnel_drops"][0] == {"step": "Signed up", "drop_percent": 60.0}
    assert rows["support_categories"][0]["count"] == 2
    assert rows["detractor_themes"][0]["count"] == 2
    assert any("help article" in win for win in report.quick_wins)
    assert any("named by 2 detractors" in win for win in report.quick_wins)


def test_our_sections_list_the_slowest_routes_and_the_alerts_of_the_week():
    for _ in range(20):
        BUFFER.add("videos/<int:pk>/render/", "POST", 500, 1.5, at=(SINCE + timedelta(days=1)).timestamp())
    BUFFER.add("", "GET", 200, 0.004, at=(SINCE + timedelta(days=1)).timestamp())
    BUFFER.add("", "GET", 200, 0.004, at=(UNTIL + timedelta(hours=1)).timestamp())  # next week
    BUFFER.flush()
    rule = AlertRule.objects.get(key="error_rate")
    for day in range(3):
        started = SINCE + timedelta(days=day, hours=2)
        AlertEpisode.objects.create(
            rule=rule, severity="P0", title="Error rate", value=9, threshold=5, started_at=started,
            resolved_at=started + timedelta(minutes=30),
        )  # fmt: skip
    report = retrospective_build(since=SINCE, until=UNTIL)
    routes, alerts = report.sections[:2]
    assert [(r["route"], r["requests"], r["p95_ms"], r["error_rate"]) for r in routes.rows] == [
        ("POST videos/<int:pk>/render/", 20, 2500.0, 100.0),
        ("GET ", 1, 5.0, 0.0),
    ]
    assert [(a["rule"], a["minutes_to_resolve"]) for a in alerts.rows] == [("Error rate", 30)] * 3
    assert report.quick_wins == [
        "Speed up POST videos/<int:pk>/render/: p95 up to 2500 ms over 20 requests.",
        "Fix the server errors of POST videos/<int:pk>/render/: 100.0 % of its requests failed.",
        "“Error rate” fired 3 times: fix its cause or tune its threshold.",
    ]


def _route(p95, error_rate=0.0):
    return {"route": "GET x/", "requests": 50, "p50_ms": 5, "p95_ms": p95, "p99_ms": p95, "error_rate": error_rate}


def test_a_route_is_a_quick_win_from_a_p95_of_one_second():
    assert speed_up_slow_routes({"slowest_routes": [_route(500.0), _route(None)]}) == []
    assert len(speed_up_slow_routes({"slowest_routes": [_route(1000.0)]})) == 1
    assert speed_up_slow_routes({}) == []


def test_a_route_failing_one_percent_of_its_requests_is_a_quick_win():
    assert fix_failing_routes({"slowest_routes": [_route(5, 0.99)]}) == []
    assert fix_failing_routes({"slowest_routes": [_route(5, 1.0)]}) == [
        "Fix the server errors of GET x/: 1.0 % of its requests failed."
    ]


def test_a_rule_firing_three_times_a_week_is_a_quick_win():
    twice = {"alerts": [{"rule": "p95 latency"}] * 2}
    assert tune_noisy_alerts(twice) == []
    assert tune_noisy_alerts({"alerts": [{"rule": "p95 latency"}] * 3}) == [
        "“p95 latency” fired 3 times: fix its cause or tune its threshold."
    ]


def test_only_funnel_steps_dropping_more_than_20_percent_are_quick_wins():
    rows = [{"step": "signup", "drop_percent": 20}, {"step": "first video", "drop_percent": 20.5}]
    assert improve_dropping_funnel_steps({"funnel_drops": rows}) == [
        "Improve the funnel step “first video”: 20.5 % drop."
    ]


def test_the_most_frequent_support_category_and_detractor_theme_are_quick_wins():
    support = {"support_categories": [{"category": "Billing", "count": 12}, {"category": "Export", "count": 3}]}
    assert answer_top_support_category(support) == ["Write a help article on “Billing” (12 requests)."]
    themes = {"detractor_themes": [{"theme": "slow renders", "count": 7}]}
    assert address_top_detractor_theme(themes) == ["Address “slow renders”, named by 7 detractors."]
    assert answer_top_support_category({}) == address_top_detractor_theme({}) == []


def test_staff_get_the_report_by_email_once_a_week_in_their_language():
    german = UserFactory(is_staff=True, language="de")
    english = UserFactory(is_staff=True, language="en")
    UserFactory(is_staff=False)
    assert retrospective_send(now=NOW) == 2
    assert retrospective_send(now=NOW + timedelta(hours=1)) == 0  # the hourly beat again, same week
    emails = OutboundEmail.objects.filter(kind="insights/email/retrospective").order_by("pk")
    assert [e.to for e in emails] == [[german.email], [english.email]]
    assert "Weekly retrospective" in emails[1].subject
    assert "/admin/insights/alertepisode/retrospective/" in emails[1].unseal()["text"]
    assert RetrospectiveSend.objects.get().week_start == SINCE.date()
    assert retrospective_send(now=NOW + timedelta(days=7)) == 2  # the next week


def test_the_command_prints_the_report_and_sends_it_once():
    UserFactory(is_staff=True)
    out = StringIO()
    call_command("retrospective", stdout=out)
    assert "Slowest routes" in out.getvalue() and "Quick wins" in out.getvalue()
    out = StringIO()
    call_command("retrospective", "--send", stdout=out)
    call_command("retrospective", "--send", stdout=out)
    assert out.getvalue().splitlines() == ["1 e-mails queued", "This week's report was sent already."]


def test_the_console_shows_the_report(staff_client):
    page = staff_client.get(reverse("admin:insights_retrospective"))
    assert page.status_code == 200
    assert 'data-section="slowest_routes"' in page.content.decode()
    assert staff_client.get(reverse("admin:insights_retrospective"), {"week": "current"}).status_code == 200


def test_staff_without_the_view_permission_see_neither_the_report_nor_the_monitoring_page(client_for):
    limited = UserFactory(is_staff=True)  # staff, but no permission on the insights tables
    client = client_for(limited)
    assert client.get(reverse("admin:insights_retrospective")).status_code == 403
    assert client.get(reverse("admin:insights_routetiming_changelist")).status_code == 403


def test_beat_records_health_evaluates_alerts_and_sends_the_retrospective():
    tasks = set(PeriodicTask.objects.values_list("task", "interval__every"))
    assert {
        ("insights.health_history_record", 1),
        ("insights.alerts_evaluate", 1),
        ("insights.retrospective_send_weekly", 60),
    } <= tasks
