"""A real worker killed in the middle of an export leaves no ready ZIP; the sweeper builds it again."""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from config.celery import app
from tests.videos.exports import export_temp_folders, zip_members
from tests.videos.factories import VideoFactory
from videos.models import ExportJob, Video
from videos.services.exports import exports_sweep_stalled

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]


@pytest.fixture
def worker(media_root):
    """A worker process on a queue of its own, using the test database and media folder (as in
    test_worker.py; its output is not read here, so it goes nowhere)."""
    if connection.vendor == "sqlite" or django_settings.CELERY_BROKER_URL.startswith("filesystem"):
        pytest.skip("needs a database and a broker that another process can reach (PostgreSQL + Redis)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DJANGO_MEDIA_ROOT": str(media_root),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue, "--loglevel=WARNING"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield queue, process
    process.kill()
    process.wait(timeout=20)


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


def test_a_worker_killed_mid_export_leaves_no_ready_zip_and_the_export_is_built_again(
    worker,
    creator,
    media_root,
    settings,
):
    queue, process = worker
    first = VideoFactory(owner=creator, title="A first")
    first_bytes = os.urandom(3 * 1024 * 1024)
    first_name = default_storage.save(f"videos/{first.pk}/v1/video.mp4", ContentFile(first_bytes))
    second = VideoFactory(owner=creator, title="B second")
    # The second video's file is a named pipe: the worker, having copied the first, waits on it
    # mid-export, as on a slow storage, until it is killed.
    second_name = f"videos/{second.pk}/v1/video.mp4"
    pipe = media_root / second_name
    pipe.parent.mkdir(parents=True)
    os.mkfifo(pipe)
    Video.objects.filter(pk=first.pk).update(file=first_name)
    Video.objects.filter(pk=second.pk).update(file=second_name)
    # Made as export_start makes it, but its build goes to the real worker, not to this process
    # (which runs tasks eagerly as soon as export_start commits).
    job = ExportJob.objects.create(owner=creator, video_count=2)
    job.videos.set([first, second])
    app.send_task("videos.build_export", args=[job.pk], queue=queue)

    wait_until(lambda: any(f.name.startswith(f"video-export-{job.pk}-") for f in export_temp_folders()))
    wait_until(lambda: ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.RUNNING)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)

    job.refresh_from_db()
    assert job.status == ExportJob.Status.RUNNING and not job.file
    assert not (media_root / "exports").exists()
    leftover = [f for f in export_temp_folders() if f.name.startswith(f"video-export-{job.pk}-{job.claim_token}-")]
    assert leftover  # what the killed worker could not clean up

    # The storage recovers; the sweeper finds the silent export and has it built again (here, in-process).
    pipe.unlink()
    second_bytes = os.urandom(12345)
    pipe.write_bytes(second_bytes)
    settings.VIDEO_EXPORT_STALE_AFTER_SECONDS = 1
    time.sleep(1.5)
    counts = exports_sweep_stalled()

    assert counts["reclaimed"] == 1
    job.refresh_from_db()
    assert job.status == ExportJob.Status.READY and job.attempts == 2
    assert zip_members(job) == {"a-first.mp4": first_bytes, "b-second.mp4": second_bytes}
    assert not any(folder.exists() for folder in leftover)
