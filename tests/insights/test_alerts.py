"""Alert rules: each fires once and clears once on fixed clocks; staff are told in-app, by e-mail and
by webhook; the signals carry the documented arguments; two evaluations open one episode."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from standardwebhooks.webhooks import Webhook

from config.celery import TransientError
from config.safe_http import UnsafeURL
from insights import signals
from insights.alerts import DEFAULTS, RULES
from insights.event_names import EventName
from insights.models import AlertEpisode, AlertRule, Event
from insights.request_timing import BUFFER
from insights.services.monitoring import (
    alert_rule_evaluate,
    alert_rule_update,
    alert_webhook_deliver,
    alerts_evaluate,
    daily_cost_save,
)
from insights.webhook_signing import secret_generate
from teams.models import Notification, OutboundEmail, User
from teams.notification_kinds import NotificationKind
from tests.concurrency import run_while_first_holds_the_lock
from tests.factories import UserFactory
from tests.receiver import Answer, Receiver

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
Key = AlertRule.Key


@pytest.fixture(autouse=True)
def _empty_buffer():
    BUFFER.clear()
    yield
    BUFFER.clear()


def rule(key):
    return AlertRule.objects.get(key=key)


def evaluate(key, now):
    return alert_rule_evaluate(rule=rule(key), now=now)


def events(name, at, count, *, actors=None):
    Event.objects.bulk_create(
        Event(name=name, occurred_at=at, actor=actors[i % len(actors)] if actors else None) for i in range(count)
    )


def people(count, joined):
    return User.objects.bulk_create(
        User(email=f"p{joined.timestamp():.0f}-{i}@example.com", date_joined=joined) for i in range(count)
    )


def requests(at, count, *, seconds, errors=0):
    for i in range(count):
        BUFFER.add("page/", "GET", 500 if i < errors else 200, seconds, at=at.timestamp())
    BUFFER.flush()


def test_the_eight_rules_of_the_issue_are_seeded_with_their_severity_threshold_and_window():
    seeded = {r.key: (r.severity, r.threshold, r.window_minutes) for r in AlertRule.objects.all()}
    assert seeded == {
        "payment_failures": ("P0", 5, 60),
        "signup_spike": ("info", 2, 60),
        "dau_decline": ("P1", 20, 7 * 24 * 60),
        "latency_p95": ("P1", 500, 15),
        "error_rate": ("P0", 5, 5),
        "db_connections": ("P1", 90, 1),
        "conversion_drop": ("P2", 70, 7 * 24 * 60),
        "daily_cost": ("P2", 1.5, 24 * 60),
    }
    assert set(RULES) == set(DEFAULTS) == set(seeded)


def test_payment_failures_fire_once_above_five_in_an_hour_and_clear_when_the_hour_passes():
    events(EventName.PAYMENT_FAILED, NOW - timedelta(minutes=50), 5)
    assert evaluate(Key.PAYMENT_FAILURES, NOW) == ""  # five is not more than five
    events(EventName.PAYMENT_FAILED, NOW - timedelta(minutes=1), 1)
    assert evaluate(Key.PAYMENT_FAILURES, NOW) == "fired"
    assert evaluate(Key.PAYMENT_FAILURES, NOW + timedelta(minutes=1)) == ""  # still the same episode
    assert evaluate(Key.PAYMENT_FAILURES, NOW + timedelta(minutes=15)) == "resolved"  # 10 minutes of them left
    assert evaluate(Key.PAYMENT_FAILURES, NOW + timedelta(minutes=16)) == ""
    episode = AlertEpisode.objects.get()
    assert (episode.value, episode.threshold, episode.severity) == (6, 5, "P0")
    assert episode.time_to_resolve == timedelta(minutes=15)


def test_signups_fire_above_twice_the_hourly_average_and_clear_when_the_hour_is_over():
    people(336, NOW - timedelta(days=3))  # 2 an hour on average over the week before
    people(4, NOW - timedelta(minutes=30))
    assert evaluate(Key.SIGNUP_SPIKE, NOW) == ""  # 4 is not more than 2 x 2
    people(1, NOW - timedelta(minutes=5))
    assert evaluate(Key.SIGNUP_SPIKE, NOW) == "fired"
    assert evaluate(Key.SIGNUP_SPIKE, NOW + timedelta(minutes=10)) == ""
    assert evaluate(Key.SIGNUP_SPIKE, NOW + timedelta(hours=1)) == "resolved"
    assert AlertEpisode.objects.get().severity == "info"


def test_daily_active_users_down_more_than_20_percent_over_7_days_fire_and_clear_when_they_return():
    actors = people(10, NOW - timedelta(days=60))
    today = NOW.replace(hour=0)
    for day in range(8, 15):
        events(EventName.USER_LOGGED_IN, today - timedelta(days=day) + timedelta(hours=9), 10, actors=actors)
    for day in range(1, 8):
        events(EventName.USER_LOGGED_IN, today - timedelta(days=day) + timedelta(hours=9), 7, actors=actors[:7])
    assert evaluate(Key.DAU_DECLINE, NOW) == "fired"  # 10 -> 7 a day: 30 % down
    assert AlertEpisode.objects.get().value == 30
    assert evaluate(Key.DAU_DECLINE, NOW + timedelta(hours=1)) == ""
    for day in range(7):  # the next week, everyone is back
        events(EventName.USER_LOGGED_IN, today + timedelta(days=day, hours=9), 10, actors=actors)
    assert evaluate(Key.DAU_DECLINE, NOW + timedelta(days=7)) == "resolved"


def test_p95_latency_above_500_ms_fires_and_clears_once_fast_requests_fill_the_window():
    requests(NOW - timedelta(minutes=5), 30, seconds=0.8)
    assert evaluate(Key.LATENCY_P95, NOW) == "fired"
    assert AlertEpisode.objects.get().value == 1000  # p95 in the 500 ms - 1 s bucket
    assert evaluate(Key.LATENCY_P95, NOW + timedelta(minutes=5)) == ""
    requests(NOW + timedelta(minutes=10), 30, seconds=0.03)
    assert evaluate(Key.LATENCY_P95, NOW + timedelta(minutes=20)) == "resolved"


def test_too_few_requests_neither_fire_nor_resolve_the_latency_rule():
    requests(NOW - timedelta(minutes=5), 5, seconds=3)
    assert evaluate(Key.LATENCY_P95, NOW) == ""
    assert not AlertEpisode.objects.exists()


def test_an_error_rate_above_5_percent_in_5_minutes_fires_and_clears():
    requests(NOW - timedelta(minutes=4), 20, seconds=0.01, errors=1)
    assert evaluate(Key.ERROR_RATE, NOW) == ""  # exactly 5 %
    requests(NOW - timedelta(minutes=4), 20, seconds=0.01, errors=3)
    assert evaluate(Key.ERROR_RATE, NOW) == "fired"  # 4 of 40: 10 %
    requests(NOW + timedelta(minutes=7), 40, seconds=0.01)
    assert evaluate(Key.ERROR_RATE, NOW + timedelta(minutes=10)) == "resolved"


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite half of the rule")
def test_database_connections_are_not_applicable_on_sqlite():
    assert RULES[Key.DB_CONNECTIONS](rule(Key.DB_CONNECTIONS), NOW) is None
    assert evaluate(Key.DB_CONNECTIONS, NOW) == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_stat_activity is PostgreSQL's")
def test_database_connections_above_the_threshold_share_of_max_connections_fire_and_clear():
    db_rule = rule(Key.DB_CONNECTIONS)
    alert_rule_update(rule=db_rule, severity="P1", threshold=0, window_minutes=1, is_active=True)
    assert evaluate(Key.DB_CONNECTIONS, NOW) == "fired"  # this very connection is in use
    assert 0 < AlertEpisode.objects.get().value <= 100
    alert_rule_update(rule=db_rule, severity="P1", threshold=100, window_minutes=1, is_active=True)
    assert evaluate(Key.DB_CONNECTIONS, NOW + timedelta(minutes=1)) == "resolved"


def test_conversion_below_70_percent_of_its_average_fires_and_clears():
    week = timedelta(days=7)
    for n in range(1, 5):  # four earlier weeks: 10 signups, 3 subscriptions each (30 %)
        at = NOW - week * n - timedelta(days=3)
        people(10, at)
        events(EventName.USER_SUBSCRIBED, at, 3)
    people(10, NOW - timedelta(days=2))
    events(EventName.USER_SUBSCRIBED, NOW - timedelta(days=2), 2)  # 20 % < 70 % of 30 % = 21 %
    assert evaluate(Key.CONVERSION_DROP, NOW) == "fired"
    assert AlertEpisode.objects.get().value == 20
    events(EventName.USER_SUBSCRIBED, NOW - timedelta(days=1), 1)  # 30 %
    assert evaluate(Key.CONVERSION_DROP, NOW + timedelta(minutes=1)) == "resolved"


def test_a_daily_cost_above_1_5_times_the_average_fires_and_clears_when_corrected(staff):
    for n in range(2, 12):
        daily_cost_save(day=date(2026, 11, 30) - timedelta(days=n), amount_cents=1000, actor=staff)
    daily_cost_save(day=date(2026, 11, 29), amount_cents=1500, actor=staff)
    assert evaluate(Key.DAILY_COST, NOW) == ""  # 1.5 x is not more than 1.5 x
    daily_cost_save(day=date(2026, 11, 29), amount_cents=2000, actor=staff)
    assert evaluate(Key.DAILY_COST, NOW) == "fired"
    daily_cost_save(day=date(2026, 11, 29), amount_cents=1200, note="duplicate invoice removed", actor=staff)
    assert evaluate(Key.DAILY_COST, NOW + timedelta(hours=1)) == "resolved"


def test_a_switched_off_rule_is_not_evaluated():
    events(EventName.PAYMENT_FAILED, NOW - timedelta(minutes=5), 9)
    payments = rule(Key.PAYMENT_FAILURES)
    alert_rule_update(rule=payments, severity="P0", threshold=5, window_minutes=60, is_active=False)
    assert Key.PAYMENT_FAILURES not in alerts_evaluate(now=NOW)
    assert not AlertEpisode.objects.exists()


def test_staff_are_told_in_app_and_by_email_when_an_alert_fires_and_when_it_resolves(staff, creator):
    events(EventName.PAYMENT_FAILED, NOW - timedelta(minutes=5), 6)
    evaluate(Key.PAYMENT_FAILURES, NOW)
    evaluate(Key.PAYMENT_FAILURES, NOW + timedelta(hours=2))
    notes = Notification.objects.filter(kind=NotificationKind.ALERT).order_by("pk")
    assert [n.recipient for n in notes] == [staff, staff]
    assert [n.text for n in notes] == [
        "P0 alert fired: Payment failures: 6 (limit 5)",
        "P0 alert resolved: Payment failures: 6 (limit 5)",
    ]
    episode = AlertEpisode.objects.get()
    assert notes[0].target_url == reverse("admin:insights_alertepisode_change", args=[episode.pk])
    assert not Notification.objects.filter(recipient=creator).exists()
    # E-mailed through the one entry point (the outbox), whatever the staff member's preferences.
    emails = OutboundEmail.objects.filter(kind="teams/email/notification").order_by("pk")
    assert [(e.to, e.subject != "") for e in emails] == [([staff.email], True), ([staff.email], True)]


def test_the_signals_are_sent_on_commit_with_the_documented_arguments(django_capture_on_commit_callbacks):
    received = []

    def on_fired(sender, **kwargs):
        received.append(("fired", kwargs))

    def on_resolved(sender, **kwargs):
        received.append(("resolved", kwargs))

    signals.alert_fired.connect(on_fired)
    signals.alert_resolved.connect(on_resolved)
    try:
        events(EventName.PAYMENT_FAILED, NOW - timedelta(minutes=5), 6)
        with django_capture_on_commit_callbacks(execute=True):
            evaluate(Key.PAYMENT_FAILURES, NOW)
            assert received == []  # not before the commit
        with django_capture_on_commit_callbacks(execute=True):
            evaluate(Key.PAYMENT_FAILURES, NOW + timedelta(minutes=1))  # still firing: nothing sent
        with django_capture_on_commit_callbacks(execute=True):
            evaluate(Key.PAYMENT_FAILURES, NOW + timedelta(hours=2))
    finally:
        signals.alert_fired.disconnect(on_fired)
        signals.alert_resolved.disconnect(on_resolved)
    episode = AlertEpisode.objects.get()
    fired = {k: v for k, v in received[0][1].items() if k != "signal"}
    resolved = {k: v for k, v in received[1][1].items() if k != "signal"}
    assert [name for name, _kwargs in received] == ["fired", "resolved"]
    assert fired == {
        "episode_id": episode.pk,
        "rule_key": "payment_failures",
        "severity": "P0",
        "title": "Payment failures: 6 (limit 5)",
        "started_at": NOW,
    }
    assert resolved == {"episode_id": episode.pk, "resolved_at": NOW + timedelta(hours=2)}


def test_the_webhook_receives_the_signed_alert_when_it_fires_and_resolves(settings, django_capture_on_commit_callbacks):
    secret = secret_generate()
    with Receiver() as receiver:
        settings.ALERT_WEBHOOK_URL = receiver.url
        settings.ALERT_WEBHOOK_SECRET = secret
        events(EventName.PAYMENT_FAILED, NOW - timedelta(minutes=5), 6)
        with django_capture_on_commit_callbacks(execute=True):
            evaluate(Key.PAYMENT_FAILURES, NOW)
        with django_capture_on_commit_callbacks(execute=True):
            evaluate(Key.PAYMENT_FAILURES, NOW + timedelta(hours=2))
    fired, resolved = receiver.received
    for request in (fired, resolved):
        Webhook(secret).verify(request.body, request.headers)  # raises on a bad signature
    assert json.loads(fired.body)["type"] == "alert.fired"
    body = json.loads(resolved.body)
    assert body["type"] == "alert.resolved"
    assert body["data"]["rule_key"] == "payment_failures"
    assert body["data"]["resolved_at"] == (NOW + timedelta(hours=2)).isoformat()


def test_a_webhook_answering_5xx_is_retried_with_the_same_message_id(settings):
    settings.ALERT_WEBHOOK_SECRET = secret_generate()
    events(EventName.PAYMENT_FAILED, NOW - timedelta(minutes=5), 6)
    evaluate(Key.PAYMENT_FAILURES, NOW)
    episode = AlertEpisode.objects.get()
    with Receiver([Answer(status=503), Answer(status=204)]) as receiver:
        settings.ALERT_WEBHOOK_URL = receiver.url
        with pytest.raises(TransientError):  # the task's retry policy (config.celery.BaseTask) takes it from here
            alert_webhook_deliver(episode_id=episode.pk, event="fired")
        assert alert_webhook_deliver(episode_id=episode.pk, event="fired") == 204
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == f"alert-{episode.pk}-fired"


def test_an_alert_webhook_to_a_private_address_is_refused(settings):
    settings.ALERT_WEBHOOK_SECRET = secret_generate()
    settings.ALERT_WEBHOOK_URL = "http://169.254.169.254/latest/meta-data/"
    events(EventName.PAYMENT_FAILED, NOW - timedelta(minutes=5), 6)
    evaluate(Key.PAYMENT_FAILURES, NOW)
    with pytest.raises(UnsafeURL):
        alert_webhook_deliver(episode_id=AlertEpisode.objects.get().pk, event="fired")


def test_without_a_secret_no_unsigned_alert_leaves(settings, django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        settings.ALERT_WEBHOOK_URL = receiver.url
        settings.ALERT_WEBHOOK_SECRET = ""
        events(EventName.PAYMENT_FAILED, NOW - timedelta(minutes=5), 6)
        with django_capture_on_commit_callbacks(execute=True):
            evaluate(Key.PAYMENT_FAILURES, NOW)
    assert receiver.received == []


def test_staff_edit_a_rule_in_the_console_and_episodes_show_their_time_to_resolve(staff_client):
    payments = rule(Key.PAYMENT_FAILURES)
    url = reverse("admin:insights_alertrule_change", args=[payments.pk])
    response = staff_client.post(url, {"severity": "P1", "threshold": "10", "window_minutes": "30", "is_active": "on"})
    assert response.status_code == 302
    payments.refresh_from_db()
    assert (payments.severity, payments.threshold, payments.window_minutes) == ("P1", 10, 30)

    events(EventName.PAYMENT_FAILED, NOW - timedelta(minutes=5), 11)
    evaluate(Key.PAYMENT_FAILURES, NOW)
    evaluate(Key.PAYMENT_FAILURES, NOW + timedelta(minutes=95))
    page = staff_client.get(reverse("admin:insights_alertepisode_changelist")).content.decode()
    assert "1 h 35 min" in page
    history = staff_client.get(url).content.decode()
    assert "Payment failures: 11 (limit 10)" in history and "1 h 35 min" in history


def test_the_console_refuses_a_negative_threshold(staff):
    with pytest.raises(Exception, match="negative"):
        alert_rule_update(rule=rule(Key.ERROR_RATE), severity="P0", threshold=-1, window_minutes=5, is_active=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_evaluations_at_once_open_one_episode():
    UserFactory(is_staff=True)
    events(EventName.PAYMENT_FAILED, NOW - timedelta(minutes=5), 6)
    outcomes = []
    results = run_while_first_holds_the_lock(
        lambda: outcomes.append(evaluate(Key.PAYMENT_FAILURES, NOW)),
        lambda: outcomes.append(evaluate(Key.PAYMENT_FAILURES, NOW)),
    )
    assert results == {"first": "ok", "second": "ok"}
    assert sorted(outcomes) == ["", "fired"]
    assert AlertEpisode.objects.count() == 1
    assert Notification.objects.filter(kind=NotificationKind.ALERT).count() == 1
