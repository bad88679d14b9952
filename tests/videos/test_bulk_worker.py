"""Bulk jobs with real workers on Redis: a worker killed mid-batch and restarted loses and duplicates
nothing; a single render is not starved by a bulk job queued before it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.db import connection

from billing import limits
from config.celery import app
from tests.videos.media_tools import make_png
from videos.models import BulkJob, BulkRow, MediaAsset, Video, VideoVersion
from videos.services import bulk
from videos.services.bulk import bulk_job_prepare, bulk_job_start, bulk_jobs_sweep_stalled
from videos.services.videos import video_create_from_template

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

QUEUES = ("celery", django_settings.VIDEO_BULK_QUEUE)


def _purge_broker() -> None:
    """Empty our queues, and forget messages a killed worker left unacknowledged (Redis keeps them
    for the visibility timeout and would hand them to a later run)."""
    with app.connection_for_write() as conn:
        for queue in QUEUES:
            conn.default_channel.queue_purge(queue)
        client = getattr(conn.default_channel, "client", None)
        if client is not None:
            client.delete("unacked", "unacked_index", "unacked_mutex")


@pytest.fixture
def workers(media_root):
    """Start worker processes on the test database, media folder and broker; killed at the end."""
    if connection.vendor == "sqlite" or django_settings.CELERY_BROKER_URL.startswith("filesystem"):
        pytest.skip("needs a database and a broker that another process can reach (PostgreSQL + Redis)")
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_MEDIA_ROOT": str(media_root),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    started: list[subprocess.Popen] = []
    app.conf.task_always_eager = False  # this process queues to the broker, as a web process does
    _purge_broker()

    def start(queues: str) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queues, "-l", "WARNING"],
            cwd=Path(__file__).resolve().parents[2],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()
        process.wait(timeout=20)
    _purge_broker()
    app.conf.task_always_eager = True


def wait_until(condition, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


GOOD = {"text_1": "Hello", "background_1": "#112233", "duration": "2"}


def test_a_worker_killed_mid_batch_and_restarted_makes_every_row_exactly_once(
    workers, creator, template, media_root, settings
):
    settings.VIDEO_BULK_BATCH_SIZE = 2
    # Row 4's picture is a named pipe: the worker, having made row 3's video inside batch (3, 4),
    # waits on it while copying, as on a slow storage, until it is killed.
    png = make_png(media_root.parent / "p.png")
    with png.open("rb") as handle:
        good_media = default_storage.save("own/good.png", handle)
    pipe_name = "own/slow.png"
    pipe = media_root / pipe_name
    pipe.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(pipe)
    good = MediaAsset.objects.create(owner=creator, slot="picture", kind="image", file=good_media, size_bytes=9)
    slow = MediaAsset.objects.create(owner=creator, slot="picture", kind="image", file=pipe_name, size_bytes=9)
    rows = [{**GOOD, "title": f"Row {n}", "media_picture": f"media:{good.pk}"} for n in range(1, 7)]
    rows[3]["media_picture"] = f"media:{slow.pk}"
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=rows)
    assert job.valid_count == 6

    first = workers(f"celery,{settings.VIDEO_BULK_QUEUE}")
    bulk_job_start(job=job)  # commits: batches (1, 2), (3, 4), (5, 6) go to the bulk queue
    wait_until(lambda: job.rows.filter(number__in=[1, 2], status=BulkRow.Status.CREATED).count() == 2)
    time.sleep(2)  # batch (3, 4) has made row 3 and waits on row 4's file, in one open transaction
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)

    # What the killed batch did is gone with its transaction: rows 3 and 4 wait, no video of theirs exists.
    statuses = dict(job.rows.values_list("number", "status"))
    assert statuses[3] == statuses[4] == BulkRow.Status.PENDING
    assert Video.objects.filter(bulk_row__number__in=[3, 4]).count() == 0

    # The storage recovers; a new worker starts; the sweeper queues the waiting rows again (the killed
    # batch's message stays unacknowledged at the broker), and a late duplicate of a finished batch
    # arrives too.
    pipe.unlink()
    pipe.write_bytes(png.read_bytes())
    workers(f"celery,{settings.VIDEO_BULK_QUEUE}")
    settings.VIDEO_BULK_STALE_AFTER_SECONDS = 0
    assert bulk_jobs_sweep_stalled()["requeued"] >= 2
    app.send_task("videos.bulk_process_batch", args=[job.pk, 1, 2])

    wait_until(lambda: BulkJob.objects.get(pk=job.pk).status == BulkJob.Status.DONE)
    job.refresh_from_db()
    assert (job.created_count, job.rendered_count, job.failed_count) == (6, 6, 0)
    videos = Video.objects.filter(owner=creator)
    assert videos.count() == 6
    assert sorted(job.rows.values_list("video__title", flat=True)) == [f"Row {n}" for n in range(1, 7)]
    assert VideoVersion.objects.filter(video__owner=creator).count() == 6
    assert set(videos.values_list("status", flat=True)) == {Video.Status.READY}
    assert limits.usage(creator, limits.Metered.VIDEOS_CREATED) == 6


@pytest.mark.parametrize(
    ("queues", "bulk_renders_first_at_most"),
    [("celery,{bulk}", 0), ("{bulk},celery", 1)],
    ids=["celery-then-bulk", "bulk-then-celery"],
)
def test_a_single_render_is_not_starved_by_a_bulk_job_queued_before_it(
    workers, creator, template, settings, queues, bulk_renders_first_at_most
):
    job = bulk_job_prepare(
        user=creator, team=None, template=template, rows=[{**GOOD, "title": f"B{n}"} for n in range(5)]
    )
    job = bulk_job_start(job=job)
    # The job's batch runs (here, in this process): its five renders wait on the bulk queue...
    bulk.bulk_batch_process(job_id=job.pk, first=1, last=5)
    # ...and then someone makes a single video: its render waits on the default queue.
    single = video_create_from_template(user=creator, team=None, template=template, title="Single")

    workers(queues.format(bulk=settings.VIDEO_BULK_QUEUE))
    wait_until(lambda: BulkJob.objects.get(pk=job.pk).status == BulkJob.Status.DONE)
    wait_until(lambda: Video.objects.get(pk=single.pk).status == Video.Status.READY)

    single_started = VideoVersion.objects.get(video=single).started_at
    bulk_started = list(VideoVersion.objects.filter(video__bulk_row__job=job).values_list("started_at", flat=True))
    assert len(bulk_started) == 5
    # One worker on both queues takes from them in turn: the single render waits for at most the
    # bulk render it found running, never for the whole job.
    assert sum(started < single_started for started in bulk_started) <= bulk_renders_first_at_most
