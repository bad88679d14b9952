"""The public status page: states from incidents, maintenance and health checks; 90-day uptime from
the health-check history; feeds and JSON; e-mail subscriptions with double opt-in."""

import datetime as dt
import re
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from insights.health_models import HealthCheckResult
from insights.incident_models import IncidentUpdate
from insights.services import incidents as svc
from insights.services.status import health_days_roll_up, maintenance_save, subscriber_token
from insights.status import status_snapshot, uptime_by_component
from insights.status_models import HealthCheckDay, StatusSubscriber
from teams.models import OutboundEmail

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)


def states(now=NOW) -> dict[str, str]:
    return {c["key"]: c["state"] for c in status_snapshot(now=now)["components"]}


def test_everything_is_operational_without_incidents_or_maintenance():
    snapshot = status_snapshot(now=NOW)
    assert snapshot["state"] == "operational"
    assert set(states().values()) == {"operational"}
    assert len(snapshot["components"]) == 11  # web, API, rendering, exports, 5 platforms, e-mail, webhooks


@pytest.mark.parametrize(
    ("severity", "state"), [("P0", "major_outage"), ("P1", "partial_outage"), ("P2", "degraded_performance")]
)
def test_an_active_incident_sets_the_state_of_the_components_it_affects(severity, state):
    svc.incident_open(title="Renders slow", severity=severity, components=["rendering", "exports"], detected_at=NOW)
    now_states = states()
    assert now_states["rendering"] == now_states["exports"] == state
    assert now_states["web"] == "operational"
    assert status_snapshot(now=NOW)["state"] == state


def test_an_alerts_incident_stays_off_the_public_page_until_staff_publish_it(staff):
    from insights.signals import alert_fired

    alert_fired.send(
        sender="tests",
        episode_id=5,
        rule_key="latency",
        severity="P1",
        title="p95 above 800 ms on db-2",
        started_at=NOW,
    )
    assert status_snapshot(now=NOW)["incidents"] == []
    assert status_snapshot(now=NOW)["state"] == "operational"
    incident = svc.incident_update(
        incident=svc.incident_open(title="x", severity="P1", source="alert", source_id=5),
        actor=staff,
        title="Slow pages",
        severity="P1",
        components=["web"],
    )
    assert [i["title"] for i in status_snapshot(now=NOW)["incidents"]] == [incident.title]
    assert states()["web"] == "partial_outage"


def test_a_resolved_incident_leaves_the_component_operational_and_is_listed_as_resolved(staff):
    incident = svc.incident_open(title="API errors", severity="P1", components=["api"], detected_at=NOW)
    svc.incident_acknowledge(incident=incident, actor=staff, now=NOW)
    svc.incident_transition(incident=incident, actor=staff, to_state="resolved", now=NOW, public_message="Fixed.")
    snapshot = status_snapshot(now=NOW + dt.timedelta(minutes=1))
    assert states(NOW + dt.timedelta(minutes=1))["api"] == "operational"
    assert [i["title"] for i in snapshot["recently_resolved"]] == ["API errors"]
    assert snapshot["incidents"] == []


def test_maintenance_shows_while_it_runs_and_an_incident_outranks_it():
    maintenance_save(
        title="DB upgrade",
        components=["rendering", "email"],
        starts_at=NOW + dt.timedelta(hours=1),
        ends_at=NOW + dt.timedelta(hours=2),
    )
    assert states()["rendering"] == "operational"  # announced, not yet running
    assert status_snapshot(now=NOW)["maintenance"][0]["in_progress"] is False
    during = NOW + dt.timedelta(minutes=90)
    assert states(during)["rendering"] == states(during)["email"] == "maintenance"
    svc.incident_open(title="Mail down", severity="P0", components=["email"], detected_at=during)
    assert states(during)["email"] == "major_outage"
    assert states(NOW + dt.timedelta(hours=3))["rendering"] == "operational"  # over


def test_a_failing_health_check_marks_the_components_that_depend_on_it():
    HealthCheckResult.objects.create(name="storage", ok=True, checked_at=NOW - dt.timedelta(minutes=2))
    HealthCheckResult.objects.create(name="storage", ok=False, checked_at=NOW - dt.timedelta(minutes=1))
    HealthCheckResult.objects.create(name="database", ok=True, checked_at=NOW - dt.timedelta(minutes=1))
    now_states = states()
    assert now_states["rendering"] == now_states["exports"] == now_states["publishing_x"] == "partial_outage"
    assert now_states["web"] == now_states["email"] == "operational"
    # A result older than five minutes says nothing about now.
    assert states(NOW + dt.timedelta(minutes=10))["rendering"] == "operational"


def _history(day: dt.date, name: str, *, total: int, failed: int) -> None:
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    HealthCheckResult.objects.bulk_create(
        HealthCheckResult(name=name, ok=n >= failed, checked_at=start + dt.timedelta(minutes=n)) for n in range(total)
    )


def test_uptime_per_component_per_day_comes_from_the_rolled_up_history_and_todays_rows():
    yesterday = NOW.date() - dt.timedelta(days=1)
    _history(yesterday, "database", total=100, failed=5)
    _history(yesterday, "cache", total=100, failed=1)
    _history(yesterday, "broker", total=100, failed=0)
    _history(NOW.date(), "broker", total=50, failed=10)
    assert health_days_roll_up(since=yesterday, until=NOW.date()) == 3
    assert HealthCheckDay.objects.get(name="database", day=yesterday).passed == 95
    uptime = uptime_by_component(now=NOW)
    web = {d["date"]: d["uptime"] for d in uptime["web"]["days"]}
    email = {d["date"]: d["uptime"] for d in uptime["email"]["days"]}
    assert len(web) == 90
    assert web[yesterday.isoformat()] == 95.0  # as up as its weakest check (database)
    assert email[NOW.date().isoformat()] == 80.0  # today, from the raw rows
    assert web[(NOW.date() - dt.timedelta(days=5)).isoformat()] is None  # no data is not 100 %
    # Over the window: its weakest check's passed / runs; the broker's 140 of 150 beat the database's 95 %.
    assert uptime["email"]["uptime"] == 93.333
    # Rolling a day up twice replaces its counts.
    assert health_days_roll_up(since=yesterday, until=NOW.date()) == 3
    assert HealthCheckDay.objects.filter(day=yesterday).count() == 3


def test_the_page_spells_out_states_in_text_and_is_served_from_the_cache_fast(client, django_assert_max_num_queries):
    svc.incident_open(
        title="Publishing to TikTok fails",
        severity="P1",
        components=["publishing_tiktok"],
        public_message="Uploads to TikTok fail; we are on it.",
    )
    page = client.get(reverse("status"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Partial outage" in body and "Publishing to TikTok fails" in body
    assert "Uploads to TikTok fail; we are on it." in body
    assert "Operational" in body  # the other components, in words
    timings = []
    with django_assert_max_num_queries(3):  # the session and the rate-limit counter at most: no status query
        for _ in range(20):
            started = time.perf_counter()
            assert client.get(reverse("status")).status_code == 200
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    print(f"\n/status/ from the cache: median {timings[10]:.1f} ms, worst {timings[-1]:.1f} ms over 20 requests")
    assert timings[10] < 50


def test_a_change_to_an_incident_clears_the_cached_page(client, django_capture_on_commit_callbacks):
    client.get(reverse("status"))
    with django_capture_on_commit_callbacks(execute=True):
        svc.incident_open(title="Webhooks delayed", severity="P2", components=["webhooks"])
    assert "Webhooks delayed" in client.get(reverse("status")).content.decode()


def test_times_are_shown_in_utc_whatever_the_readers_time_zone(client_for, creator):
    creator.time_zone = "Asia/Tokyo"
    creator.save(update_fields=["time_zone"])
    detected = dt.datetime(2026, 11, 30, 10, 30, tzinfo=dt.UTC)
    svc.incident_open(title="Exports slow", severity="P2", components=["exports"], detected_at=detected)
    body = client_for(creator).get(reverse("status")).content.decode()
    assert "10:30" in body and "7:30" not in body  # 19:30 in Tokyo


def test_the_page_is_translated(client):
    body = client.get(reverse("status"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="fr"' in body


def test_the_json_endpoint_gives_the_same_data_without_signing_in(api_client):
    svc.incident_open(title="Exports slow", severity="P2", components=["exports"])
    answer = api_client.get("/api/v1/status/")
    assert answer.status_code == 200
    data = answer.json()
    assert data["state"] == "degraded_performance"
    exports = next(c for c in data["components"] if c["key"] == "exports")
    assert (exports["name"], exports["state"], len(exports["days"])) == ("Exports", "degraded_performance", 90)
    assert [i["title"] for i in data["incidents"]] == ["Exports slow"]


def test_the_feeds_carry_public_updates_but_never_internal_notes(client, staff):
    incident = svc.incident_open(title="Login slow", severity="P2", components=["web"], public_message="Looking.")
    svc.incident_update_post(incident=incident, actor=staff, body="Suspect the new index", public=False)
    for name, marker in (("status-feed-rss", "<rss"), ("status-feed-atom", "<feed")):
        body = client.get(reverse(name)).content.decode()
        assert marker in body and "Login slow" in body and "Looking." in body
        assert "Suspect the new index" not in body


def test_subscribing_needs_the_confirmation_link_and_one_click_unsubscribes(
    client, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("status"), {"email": "Fan@Example.com"})
    assert answer.status_code == 302
    subscriber = StatusSubscriber.objects.get(email="fan@example.com")
    assert not subscriber.is_active
    assert OutboundEmail.objects.get().kind == "insights/email/status_confirm"
    confirm_url = re.search(r"http\S+/status/confirm/\S+/", mail.outbox[0].body).group(0)
    path = confirm_url.split("testserver", 1)[-1] if "testserver" in confirm_url else "/" + confirm_url.split("/", 3)[3]

    # Before confirming, updates reach nobody.
    incident = svc.incident_open(title="Renders slow", severity="P2", components=["rendering"])
    with django_capture_on_commit_callbacks(execute=True):
        svc.incident_update_post(incident=incident, actor=staff, body="Still looking.", public=True)
    assert len(mail.outbox) == 1

    assert client.get(path).status_code == 200  # a button, so link scanners confirm nothing
    subscriber.refresh_from_db()
    assert not subscriber.is_active
    assert client.post(path).status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.is_active

    with django_capture_on_commit_callbacks(execute=True):
        update = svc.incident_update_post(incident=incident, actor=staff, body="A fix is rolling out.", public=True)
        svc.incident_update_post(incident=incident, actor=staff, body="internal only", public=False)
    assert len(mail.outbox) == 2
    notice = mail.outbox[1]
    assert notice.to == ["fan@example.com"] and "A fix is rolling out." in notice.body
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe_url = notice.extra_headers["List-Unsubscribe"].strip("<>")
    # The notify task is fenced: running it again sends nothing more.
    from insights.services.status import status_update_notify

    assert status_update_notify(update_id=update.pk) == 0

    # RFC 8058: the mail client POSTs, without a CSRF token.
    unsubscribe_path = "/" + unsubscribe_url.split("/", 3)[3]
    assert client.post(unsubscribe_path).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.unsubscribed_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        svc.incident_update_post(incident=incident, actor=staff, body="Resolved.", public=True)
    assert len(mail.outbox) == 2


def test_tampered_or_misused_tokens_are_refused(client):
    subscriber = StatusSubscriber.objects.create(email="a@example.com")
    confirm = subscriber_token(subscriber=subscriber, purpose="confirm")
    assert client.post(reverse("status-confirm", args=[confirm + "x"])).status_code == 404
    # An unsubscribe token does not confirm, and a confirm token does not unsubscribe.
    unsubscribe = subscriber_token(subscriber=subscriber, purpose="unsubscribe")
    assert client.post(reverse("status-confirm", args=[unsubscribe])).status_code == 404
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None


def test_subscribing_is_rate_limited_per_address(client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "status_subscriptions_per_email": "2/day",
        },
    }
    from rest_framework.settings import api_settings

    api_settings.reload()
    try:
        for _ in range(2):
            assert client.post(reverse("status"), {"email": "same@example.com"}).status_code == 302
        assert client.post(reverse("status"), {"email": "same@example.com"}).status_code == 429
    finally:
        api_settings.reload()


def test_the_confirmation_link_expires_after_seven_days(client):
    subscriber = StatusSubscriber.objects.create(email="late@example.com")
    token = subscriber_token(subscriber=subscriber, purpose="confirm")
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=time.time() + 8 * 86400):
        assert client.post(reverse("status-confirm", args=[token])).status_code == 404


def test_demo_data_gives_the_status_page_history_an_incident_and_maintenance(creator, staff, client):
    from insights.incidents_demo import load

    load(creator=creator, staff=staff)
    load(creator=creator, staff=staff)  # idempotent
    snapshot = status_snapshot(now=timezone.now())
    web = next(c for c in snapshot["components"] if c["key"] == "web")
    assert web["uptime"] is not None and web["uptime"] > 90
    assert [m["title"] for m in snapshot["maintenance"]] == ["Database upgrade"]
    assert IncidentUpdate.objects.filter(incident__postmortem__isnull=False).exists()


def test_a_bad_address_is_shown_on_the_form_and_nothing_is_sent(client):
    answer = client.post(reverse("status"), {"email": "not-an-address"})
    assert answer.status_code == 200
    assert "Enter a valid email address." in answer.content.decode()
    assert not StatusSubscriber.objects.exists() and not OutboundEmail.objects.exists()


def test_asking_again_while_subscribed_sends_no_second_mail(client, django_capture_on_commit_callbacks):
    StatusSubscriber.objects.create(email="fan@example.com", confirmed_at=NOW)
    assert client.post(reverse("status"), {"email": "fan@example.com"}).status_code == 302
    assert not OutboundEmail.objects.exists()
