"""Webhook delivery speed through a real Celery worker, and what a slow endpoint costs a fast one.

1. Throughput: N events to one endpoint on a local receiver, from the commit that writes them to the
   last delivery arriving, through the broker and a real worker (`-Q webhooks -P threads`). Beside
   it, in the same run, the reference: the same number of signed POSTs sent one after another from
   this process straight through the safe client (no database, no broker, no worker).
2. Isolation: the time from commit to arrival of deliveries to a fast endpoint, alone and then while
   a slow endpoint (answering after 5 s) has a backlog queued before them. Target: no delay.

Runs against DATABASE_URL and CELERY_BROKER_URL when set (PostgreSQL and Redis recommended),
else a throwaway SQLite database and the file-system broker. From the project root:
  .venv/bin/python bench/webhooks.py [--events 300] [--concurrency 8]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _setup(folder: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.test"  # loopback receivers allowed
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "false"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder / 'bench.sqlite3'}")
    os.environ["DJANGO_MEDIA_ROOT"] = str(folder / "media")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _worker(concurrency: int) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "webhooks", "-P", "threads",
        "-c", str(concurrency), "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())  # noqa: S603 (our own fixed command)


def _wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _events(user, endpoint_count_hint: str, count: int) -> float:
    """Record `count` public events for `user` in one transaction; returns the commit's moment."""
    from django.db import transaction

    from insights.event_names import EventName
    from insights.events import record_event

    with transaction.atomic():
        for n in range(count):
            record_event(
                name=EventName.VIDEO_CREATED,
                actor=user,
                subject=user,
                payload={"n": n, "bench": endpoint_count_hint},
            )
    return time.monotonic()


def _user(email: str):
    from teams.models import User

    user, _created = User.objects.get_or_create(email=email, defaults={"display_name": email})
    user.webhook_endpoints.all().delete()
    return user


def _warm_up(receiver, user) -> None:
    from insights.services import webhook_endpoint_create

    webhook_endpoint_create(actor=user, team=None, url=receiver.url, event_types=["video.created"])
    _events(user, "warm-up", 1)
    if not _wait_until(lambda: len(receiver.received) >= 1, 60):
        raise SystemExit("The worker delivered nothing within 60 s: is the broker reachable?")
    receiver.received.clear()
    user.webhook_endpoints.all().delete()


def throughput(*, events: int) -> tuple[float, float]:
    from config import safe_http
    from insights.services import webhook_endpoint_create
    from insights.webhook_signing import secret_generate, signed_headers
    from tests.receiver import Receiver

    with Receiver() as receiver:
        user = _user("bench-throughput@example.com")
        _warm_up(receiver, user)
        webhook_endpoint_create(actor=user, team=None, url=receiver.url, event_types=["video.created"])
        committed = _events(user, "throughput", events)
        if not _wait_until(lambda: len(receiver.received) >= events, 600):
            raise SystemExit(f"Only {len(receiver.received)} of {events} deliveries arrived.")
        ours = events / (max(r.at for r in receiver.received) - committed)

        # The reference: the same signed POSTs, one after another, straight from this process.
        secret, body = secret_generate(), '{"type":"video.created","timestamp":"2026-01-01T00:00:00Z","data":{}}'
        started = time.monotonic()
        for n in range(events):
            headers = signed_headers(secrets_=[secret], message_id=f"msg_{n}", timestamp=int(time.time()), body=body)
            safe_http.post(receiver.url, body=body.encode(), headers=headers, timeout=15)
        reference = events / (time.monotonic() - started)
    return ours, reference


def isolation(*, fast_events: int, slow_backlog: int, slow_seconds: float) -> tuple[list[float], list[float]]:
    from insights.services import webhook_endpoint_create
    from tests.receiver import Answer, Receiver

    def latencies(receiver, committed: float) -> list[float]:
        return sorted(r.at - committed for r in receiver.received)

    with Receiver() as fast, Receiver([Answer(delay=slow_seconds)]) as slow:
        fast_user, slow_user = _user("bench-fast@example.com"), _user("bench-slow@example.com")
        _warm_up(fast, fast_user)
        webhook_endpoint_create(actor=fast_user, team=None, url=fast.url, event_types=["video.created"])
        webhook_endpoint_create(actor=slow_user, team=None, url=slow.url, event_types=["video.created"])

        committed = _events(fast_user, "alone", fast_events)
        _wait_until(lambda: len(fast.received) >= fast_events, 120)
        alone = latencies(fast, committed)
        fast.received.clear()

        _events(slow_user, "slow backlog", slow_backlog)  # queued first
        committed = _events(fast_user, "beside slow", fast_events)
        _wait_until(lambda: len(fast.received) >= fast_events, 300)
        beside = latencies(fast, committed)
    return alone, beside


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--slow-backlog", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _setup(folder)
        worker = _worker(args.concurrency)
        try:
            ours, reference = throughput(events=args.events)
            alone, beside = isolation(fast_events=20, slow_backlog=args.slow_backlog, slow_seconds=5.0)
        finally:
            worker.terminate()
            worker.wait(30)

    def ms(values: list[float], q: float) -> str:
        return f"{1000 * statistics.quantiles(values, n=100)[int(q) - 1]:.0f} ms" if len(values) > 1 else "—"

    load = os.getloadavg()[0]
    print(f"\nWebhook deliveries: {args.events} events, worker -Q webhooks -P threads -c {args.concurrency}")
    print(f"  (machine load average {load:.1f} on {os.cpu_count()} CPUs; a delivery costs 5 short queries)")
    print(f"  {'':44} {'deliveries/s':>14}")
    print(f"  {'ours: commit -> worker -> receiver':44} {ours:14.1f}")
    print(f"  {'reference: signed POSTs in a loop, no queue':44} {reference:14.1f}")
    backlog = f"{args.slow_backlog} deliveries to a 5 s endpoint queued first"
    print(f"\nA fast endpoint's 20 deliveries, commit -> arrival ({backlog})")
    print(f"  {'':44} {'p50':>10} {'p95':>10} {'max':>10}")
    print(f"  {'alone':44} {ms(alone, 50):>10} {ms(alone, 95):>10} {1000 * max(alone):>7.0f} ms")
    print(f"  {'beside the slow endpoint':44} {ms(beside, 50):>10} {ms(beside, 95):>10} {1000 * max(beside):>7.0f} ms")
    added = statistics.quantiles(beside, n=100)[94] - statistics.quantiles(alone, n=100)[94]
    print(f"  delay the slow endpoint adds (p95): {1000 * added:.0f} ms")


if __name__ == "__main__":
    main()
