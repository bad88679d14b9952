"""`/metrics`: Prometheus' text format, read by Prometheus' own parser, and only for those allowed."""

import datetime as dt
import os
from pathlib import Path

import pytest
from celery import signals as celery_signals
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from billing.models import Interval, Plan, Subscription
from insights.prometheus import observe_request
from teams.models import OutboundEmail
from tests.factories import UserFactory
from tests.insights.metrics_fixtures import invoice
from tests.videos.factories import VideoFactory, VideoVersionFactory

pytestmark = pytest.mark.django_db

TOKEN = "scrape-token-for-tests-0123456789"


def families(client, **headers) -> dict:
    answer = client.get("/metrics", **headers)
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"].startswith("text/plain")
    return {family.name: family for family in text_string_to_metric_families(answer.content.decode())}


def samples(family, name: str | None = None) -> list:
    return [s for s in family.samples if name is None or s.name == name]


def value(family, name: str, **labels) -> float:
    return next(s.value for s in samples(family, name) if all(s.labels.get(k) == v for k, v in labels.items()))


@override_settings(METRICS_BEARER_TOKEN=TOKEN)
def test_metrics_are_refused_without_credentials(client, creator_client):
    anonymous = client.get("/metrics")
    assert anonymous.status_code == 401
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong-token").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 401
    assert creator_client.get("/metrics").status_code == 403  # signed in, not staff


@override_settings(METRICS_BEARER_TOKEN="")
def test_without_a_configured_token_no_bearer_is_accepted_but_staff_are(client, staff_client):
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 401
    assert "vc_mrr" in families(staff_client)


@override_settings(METRICS_BEARER_TOKEN=TOKEN)
def test_request_latency_by_route_and_server_errors_are_counted(client):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}
    before = families(client, **auth)
    latency = before.get("vc_http_request_duration_seconds")
    route = {"route": "videos/<int:pk>/", "method": "GET"}
    # Figures of this process live as long as it does: count from what is there already.
    start = (
        sum(s.value for s in samples(latency, "vc_http_request_duration_seconds_count") if s.labels == route)
        if latency
        else 0
    )
    observe_request("videos/<int:pk>/", "GET", 200, 0.03)
    observe_request("videos/<int:pk>/", "GET", 500, 0.2)
    after = families(client, **auth)
    latency = after["vc_http_request_duration_seconds"]
    assert value(latency, "vc_http_request_duration_seconds_count", route="videos/<int:pk>/", method="GET") == start + 2
    assert (
        value(latency, "vc_http_request_duration_seconds_bucket", route="videos/<int:pk>/", method="GET", le="0.05")
        >= 1
    )
    errors = after["vc_http_request_errors"]
    assert value(errors, "vc_http_request_errors_total", route="videos/<int:pk>/", method="GET", status="500") >= 1
    assert not any(s.labels.get("status") == "200" for s in errors.samples)


@override_settings(METRICS_BEARER_TOKEN=TOKEN)
def test_every_request_through_the_stack_reaches_the_latency_histogram(client):
    """The request-timing middleware's observer: the one timing feeds the console's table and Prometheus."""
    auth = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}

    def status_page_requests(found) -> float:
        latency = found.get("vc_http_request_duration_seconds")
        counts = samples(latency, "vc_http_request_duration_seconds_count") if latency else []
        return sum(s.value for s in counts if s.labels["route"].endswith("status/") and s.labels["method"] == "GET")

    start = status_page_requests(families(client, **auth))
    assert client.get(reverse("status")).status_code == 200
    assert client.get(reverse("status")).status_code == 200
    assert status_page_requests(families(client, **auth)) == start + 2


@override_settings(METRICS_BEARER_TOKEN=TOKEN)
def test_task_durations_are_recorded_by_task_from_celerys_signals(client):
    class FakeTask:  # Celery passes its task object; only the name is read
        name = "videos.render_version"

    celery_signals.task_prerun.send(sender=FakeTask, task_id="t-1", task=FakeTask())
    celery_signals.task_postrun.send(sender=FakeTask, task_id="t-1", task=FakeTask(), state="SUCCESS")
    tasks = families(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")["vc_celery_task_duration_seconds"]
    assert value(tasks, "vc_celery_task_duration_seconds_count", task="videos.render_version", state="SUCCESS") >= 1


@override_settings(METRICS_BEARER_TOKEN=TOKEN)
def test_outboxes_renders_and_business_gauges_come_from_the_database(client):
    for status in ("sent", "sent", "failed"):
        email = OutboundEmail(to=["a@example.com"], from_email="x@example.com", subject="s", kind="t", status=status)
        email.seal(text="x")
        email.save()
    now = timezone.now()
    VideoVersionFactory(video=VideoFactory(), started_at=now - dt.timedelta(seconds=40), finished_at=now)
    VideoVersionFactory(video=VideoFactory(), started_at=now - dt.timedelta(seconds=400), finished_at=now)
    pro = Plan.objects.create(code="pro-x", name="Pro X", rank=50, monthly_price_cents=1200, annual_price_cents=12000)
    end = now + dt.timedelta(days=30)
    monthly, annual, trial = UserFactory(), UserFactory(), UserFactory()
    Subscription.objects.create(user=monthly, plan=pro, current_period_end=end)
    Subscription.objects.create(user=annual, plan=pro, interval=Interval.YEAR, current_period_end=end)
    Subscription.objects.create(user=trial, plan=pro, status="trialing", current_period_end=end)
    # MRR is the metrics' definition: paid invoices covering now, an annual one divided by 12.
    invoice(monthly, now - dt.timedelta(days=1), end, price=1200, plan=pro)
    invoice(annual, now - dt.timedelta(days=1), now + dt.timedelta(days=364), price=12000, plan=pro)

    found = families(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert value(found["vc_emails"], "vc_emails_total", status="sent") == 2
    assert value(found["vc_emails"], "vc_emails_total", status="failed") == 1
    assert value(found["vc_webhook_deliveries"], "vc_webhook_deliveries_total", status="failed") == 0
    renders = found["vc_render_duration_seconds"]
    assert value(renders, "vc_render_duration_seconds_bucket", le="60.0") == 1
    assert value(renders, "vc_render_duration_seconds_bucket", le="+Inf") == 2
    # The text format writes a gauge histogram's sum as a gauge of its own.
    assert value(found["vc_render_duration_seconds_gsum"], "vc_render_duration_seconds_gsum") == pytest.approx(
        440, abs=1
    )
    assert value(found["vc_subscriptions_active"], "vc_subscriptions_active") == 2  # trials are not paying
    assert value(found["vc_mrr"], "vc_mrr") == 22.0  # 12.00 monthly + 120.00 / 12


@override_settings(METRICS_BEARER_TOKEN=TOKEN)
def test_queue_depth_is_read_from_the_broker(client, settings, tmp_path):
    from config.celery import app as celery_app

    if not celery_app.conf.broker_url.startswith("filesystem://"):
        import redis

        connection = redis.Redis.from_url(celery_app.conf.broker_url)
        connection.delete("bulk")
        connection.rpush("bulk", "m1", "m2")
        try:
            depth = families(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")["vc_celery_queue_depth"]
            assert value(depth, "vc_celery_queue_depth", queue="bulk") == 2
        finally:
            connection.delete("bulk")
        return
    folder = Path(celery_app.conf.broker_transport_options["data_folder_in"])
    folder.mkdir(parents=True, exist_ok=True)
    made = [folder / f"1_{n}-test.bulk.msg" for n in range(3)]
    for path in made:
        path.write_text("{}")
    try:
        depth = families(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")["vc_celery_queue_depth"]
        assert value(depth, "vc_celery_queue_depth", queue="bulk") >= 3
        assert {s.labels["queue"] for s in depth.samples} >= {"celery", "bulk", "webhooks"}
    finally:
        for path in made:
            os.unlink(path)


WORKER_SCRIPT = """
import django
django.setup()
from celery import signals
from insights.prometheus import observe_request

class Task:
    name = "videos.render_version"

signals.task_prerun.send(sender=Task, task_id="w-1", task=Task())
signals.task_postrun.send(sender=Task, task_id="w-1", task=Task(), state="SUCCESS")
observe_request("api/v1/videos/", "POST", 503, 0.7)
"""


@override_settings(METRICS_BEARER_TOKEN=TOKEN)
def test_in_multiprocess_mode_a_scrape_adds_up_what_other_processes_recorded(client, tmp_path, monkeypatch):
    """Workers are other processes: with PROMETHEUS_MULTIPROC_DIR they write their figures to files
    there, and a scrape of any web process reads them all."""
    import subprocess
    import sys

    from django.conf import settings

    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    subprocess.run([sys.executable, "-c", WORKER_SCRIPT], env=env, cwd=settings.BASE_DIR, check=True, timeout=120)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    found = families(client, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    tasks = found["vc_celery_task_duration_seconds"]
    assert value(tasks, "vc_celery_task_duration_seconds_count", task="videos.render_version", state="SUCCESS") == 1
    errors = found["vc_http_request_errors"]
    assert value(errors, "vc_http_request_errors_total", route="api/v1/videos/", method="POST", status="503") == 1
    assert "vc_mrr" in found  # the database figures are still there
