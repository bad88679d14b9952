"""Due publications, two real Celery workers (separate processes), overlapping claim-loop ticks and one
worker killed with SIGKILL mid-upload: every platform publishes each publication exactly once (counted
at the fake platforms), none is lost, and a post whose answer died with the worker is shown as unknown.

Runs on PostgreSQL with a real broker (Redis), like CI, with the issue's 1,000 publications (one
platform each, in turn; PUBLISHING_WORKER_TEST_PUBLICATIONS sets fewer for a quick local run). The
claim loop's exactly-once at 10,000 rows is measured by bench/publishing.py.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from tests.factories import UserFactory
from tests.videos.publishing import make_due_publications
from videos.publishing_models import PublicationTarget
from videos.services.publishing import publications_claim_due

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
    pytest.mark.skipif(
        not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"), reason="two worker processes need Redis"
    ),
]
PUBLICATIONS = int(os.environ.get("PUBLISHING_WORKER_TEST_PUBLICATIONS", "1000"))
STALE_SECONDS = 5
TStatus = PublicationTarget.Status


def _worker(name: str, environment: dict[str, str]) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-n", f"{name}@%h"]
    command += ["--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(
        command, env=environment, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def _database_url() -> str:
    """The test database, for the worker processes."""
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker_environment(platforms, settings):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PUBLISHING_STALE_AFTER_SECONDS": str(STALE_SECONDS),
        "PUBLISHING_HTTP_TIMEOUT_SECONDS": "3",
        **platforms.environment(),
    }
    settings.PUBLISHING_STALE_AFTER_SECONDS = STALE_SECONDS
    app.conf.task_always_eager = False
    app.control.purge()
    yield environment
    app.control.purge()
    app.conf.task_always_eager = True


def test_two_workers_one_killed_mid_upload_publish_every_platform_exactly_once(platforms, worker_environment):
    make_due_publications(UserFactory(), PUBLICATIONS)
    for server in platforms.servers.values():
        server.delay = 0.02  # each chunk takes a moment, so the kill lands mid-upload
    workers = [_worker("pub-a", worker_environment), _worker("pub-b", worker_environment)]
    stop = threading.Event()

    def beat() -> None:
        # Overlapping ticks, as two beats (or a slow tick and the next) would run them.
        try:
            while not stop.is_set():
                publications_claim_due(limit=50)
                time.sleep(0.3)
        finally:
            connection.close()

    ticks = [threading.Thread(target=beat) for _ in range(2)]
    for thread in ticks:
        thread.start()
    try:
        # About 12 publications a second once one worker is left; the deadline is reached only on a
        # very busy machine.
        deadline = time.monotonic() + 30 + PUBLICATIONS * 0.2
        killed = False
        while time.monotonic() < deadline:
            statuses = Counter(PublicationTarget.objects.values_list("status", flat=True))
            if not killed and statuses[TStatus.PUBLISHED] >= PUBLICATIONS // 5 and statuses[TStatus.UPLOADING]:
                os.kill(workers[0].pid, signal.SIGKILL)  # mid-upload: it holds a target that is uploading
                killed = True
            if killed and statuses[TStatus.PUBLISHED] + statuses[TStatus.UNKNOWN] == PUBLICATIONS:
                break
            time.sleep(0.25)
    finally:
        stop.set()
        for thread in ticks:
            thread.join(10)
        for worker in workers:
            worker.kill()
            worker.wait(10)

    assert killed, (statuses, [w.stderr.read().decode()[-3000:] for w in workers])
    statuses = Counter(PublicationTarget.objects.values_list("status", flat=True))
    assert set(statuses) <= {TStatus.PUBLISHED, TStatus.UNKNOWN}, statuses  # none lost, none failed
    published = platforms.published()
    for target in PublicationTarget.objects.all():
        times = published[target.platform][target.caption]
        assert times <= 1, (target.platform, target.caption)  # never twice
        if target.status == TStatus.PUBLISHED:
            assert times == 1, (target.platform, target.caption)
        else:
            # The worker died while this post was on its way; whether it arrived is unknown, as shown.
            assert target.platform in ("x", "instagram") and target.upload_state.get("phase") in (
                "post_sent",
                "publish_sent",
            )
    assert statuses[TStatus.UNKNOWN] <= 1  # one worker died, holding at most one post
