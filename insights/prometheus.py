"""Prometheus metrics for `/metrics` (prometheus-client).

Two kinds of figures:
- observed in a process: request latency and errors (fed by `observe_request`, which the request
  timing middleware calls for every request) and Celery task durations (Celery's task signals, in
  the worker processes);
- read when scraped, by `DatabaseCollector`: Celery queue depth from the broker, e-mails and
  webhook deliveries from their outboxes, render times, paying subscriptions and MRR.

Web workers (gunicorn) and Celery workers are separate processes. With `PROMETHEUS_MULTIPROC_DIR`
set (an empty folder shared by every web and worker process of one machine, emptied when they
start), prometheus-client's multiprocess mode writes each process's figures to files there and a
scrape of any web process adds them all up. Without it, a scrape shows only the answering
process's own requests, and task durations are missing (they happen in the workers).
"""

import os
import time
from pathlib import Path
from typing import Any

from celery import signals as celery_signals
from django.conf import settings
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeHistogramMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
TASK_BUCKETS = (0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600, 1800)
RENDER_BUCKETS = (5, 10, 30, 60, 120, 300, 600, 1800)

# Not registered in the global registry: each scrape builds its own (see `scrape`).
REQUEST_LATENCY = Histogram(
    "vc_http_request_duration_seconds",
    "Time to answer an HTTP request, by route pattern and method.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
    registry=None,
)
REQUEST_ERRORS = Counter(
    "vc_http_request_errors",
    "HTTP requests answered with a server error (5xx), by route pattern, method and status.",
    ["route", "method", "status"],
    registry=None,
)
TASK_DURATION = Histogram(
    "vc_celery_task_duration_seconds",
    "Time a Celery task ran, by task name and outcome.",
    ["task", "state"],
    buckets=TASK_BUCKETS,
    registry=None,
)
PROCESS_METRICS = (REQUEST_LATENCY, REQUEST_ERRORS, TASK_DURATION)


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request (an observer of `insights.request_timing`)."""
    route = route or "unmatched"
    REQUEST_LATENCY.labels(route=route, method=method).observe(seconds)
    if status >= 500:
        REQUEST_ERRORS.labels(route=route, method=method, status=str(status)).inc()


_task_started: dict[str, float] = {}


def _task_prerun(task_id: str | None = None, **kwargs: Any) -> None:
    if task_id:
        _task_started[task_id] = time.perf_counter()


def _task_postrun(task_id: str | None = None, task: Any = None, state: str | None = None, **kwargs: Any) -> None:
    started = _task_started.pop(task_id, None) if task_id else None
    if started is not None and task is not None:
        TASK_DURATION.labels(task=task.name, state=state or "UNKNOWN").observe(time.perf_counter() - started)


def connect_task_signals() -> None:
    celery_signals.task_prerun.connect(_task_prerun, dispatch_uid="insights.prometheus.prerun", weak=False)
    celery_signals.task_postrun.connect(_task_postrun, dispatch_uid="insights.prometheus.postrun", weak=False)


def _queue_depths() -> dict[str, int]:
    from config.celery import app as celery_app

    queues = sorted({"celery", settings.VIDEO_BULK_QUEUE, *(r["queue"] for r in settings.CELERY_TASK_ROUTES.values())})
    if celery_app.conf.broker_url.startswith("filesystem://"):
        folder = Path((celery_app.conf.broker_transport_options or {}).get("data_folder_in", ""))
        names = [entry.name for entry in os.scandir(folder)] if folder.is_dir() else []
        # The filesystem transport names each message <time>_<uuid>.<queue>.msg.
        return {queue: sum(1 for name in names if name.endswith(f".{queue}.msg")) for queue in queues}
    with celery_app.connection_for_read() as conn:
        client = conn.default_channel.client  # the Redis transport keeps each queue as a list
        return {queue: int(client.llen(queue)) for queue in queues}


class DatabaseCollector(Collector):
    """Figures read at scrape time from the database and the broker (a few aggregate queries)."""

    def collect(self) -> Any:
        yield from self._queues()
        yield from self._outboxes()
        yield self._renders()
        yield from self._business()

    def _queues(self) -> Any:
        family = GaugeMetricFamily("vc_celery_queue_depth", "Messages waiting in a Celery queue.", labels=["queue"])
        try:
            depths = _queue_depths()
        except Exception:  # a dead broker is /healthz's news; the scrape still answers without it
            depths = {}
        for queue, depth in depths.items():
            family.add_metric([queue], depth)
        yield family

    def _outboxes(self) -> Any:
        from django.db.models import Count

        from insights.webhook_models import WebhookDelivery
        from teams.models import OutboundEmail

        emails = CounterMetricFamily("vc_emails", "E-mails in the outbox by status.", labels=["status"])
        counts = dict(OutboundEmail.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status in OutboundEmail.Status.values:
            emails.add_metric([status], counts.get(status, 0))
        yield emails
        hooks = CounterMetricFamily("vc_webhook_deliveries", "Webhook deliveries by status.", labels=["status"])
        counts = dict(WebhookDelivery.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status in WebhookDelivery.Status.values:
            hooks.add_metric([status], counts.get(status, 0))
        yield hooks

    def _renders(self) -> GaugeHistogramMetricFamily:
        import datetime as dt

        from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
        from django.utils import timezone

        from videos.models import VideoVersion

        took = ExpressionWrapper(F("finished_at") - F("started_at"), output_field=DurationField())
        recent = VideoVersion.objects.filter(
            finished_at__gte=timezone.now() - dt.timedelta(hours=1), started_at__isnull=False
        ).annotate(took=took)
        figures = recent.aggregate(
            total=Sum("took"),
            **{f"le_{b}": Count("id", filter=Q(took__lte=dt.timedelta(seconds=b))) for b in RENDER_BUCKETS},
            count=Count("id"),
        )
        buckets = [(str(float(b)), figures[f"le_{b}"]) for b in RENDER_BUCKETS] + [("+Inf", figures["count"])]
        total = figures["total"].total_seconds() if figures["total"] else 0.0
        return GaugeHistogramMetricFamily(
            "vc_render_duration_seconds",
            "Render time of the versions finished in the last hour.",
            buckets=buckets,
            gsum_value=total,
        )

    def _business(self) -> Any:
        # The same definitions as the BI dashboard's: billing's "in force" rule and the metrics' MRR.
        from billing.selectors import subscriptions_on_paid_plan_in_force
        from insights.metrics.revenue import mrr

        now = timezone.now()
        from billing.models import Subscription

        paying = subscriptions_on_paid_plan_in_force(now=now).exclude(status=Subscription.Status.TRIALING)
        yield GaugeMetricFamily(
            "vc_subscriptions_active", "Paying subscriptions in force (no trials).", value=paying.count()
        )
        yield GaugeMetricFamily(
            "vc_mrr",
            "Monthly recurring revenue (insights.metrics.revenue.mrr), in the currency's units.",
            value=mrr(at=now) / 100,
        )


def scrape() -> bytes:
    """The text exposition of every metric, as `/metrics` serves it."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for metric in PROCESS_METRICS:
            registry.register(metric)
    registry.register(DatabaseCollector())
    return generate_latest(registry)
