"""A real Celery worker renders a version; a duplicate delivery of the task changes nothing."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from config.celery import app
from tests.videos.conftest import stored_files
from tests.videos.factories import TemplateFactory
from videos.models import Video, VideoVersion
from videos.render.spec import resolve_render_spec

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # The test process runs tasks eagerly; send_task goes to the real broker regardless, which is the point.
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(media_root):
    """A worker process on a queue of its own, using the test database and media folder."""
    if connection.vendor == "sqlite" or settings.CELERY_BROKER_URL.startswith("filesystem"):
        pytest.skip("needs a database and a broker that another process can reach (PostgreSQL + Redis)")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{connection.settings_dict['USER']}@{connection.settings_dict['HOST']}:"
        f"{connection.settings_dict['PORT']}/{connection.settings_dict['NAME']}",
        "DJANGO_MEDIA_ROOT": str(media_root),
        "CELERY_TASK_ALWAYS_EAGER": "false",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-Q", queue, "--loglevel=INFO"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield queue, process
    process.terminate()
    process.wait(timeout=20)


def wait_for_results(process, needle: str, count: int, timeout: float = 60) -> list[str]:
    """The worker's "Task … succeeded in …: <result>" lines for `needle`, once `count` arrived."""
    deadline = time.monotonic() + timeout
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if needle in line and "succeeded" in line:
            seen.append(line)
            if len(seen) == count:
                return seen
    raise AssertionError(f"worker did not report {count} times {needle!r}; got {seen}")


def test_a_real_worker_renders_once_even_when_the_task_is_delivered_twice(worker, creator, media_root):
    queue, process = worker
    template = TemplateFactory()
    video = Video.objects.create(owner=creator, template=template, title="Worker")
    version = VideoVersion.objects.create(
        video=video,
        number=1,
        created_by=creator,
        render_spec=resolve_render_spec(spec=template.scene_spec, duration=2, customization={}),
    )
    for _ in range(2):
        app.send_task("videos.render_version", args=[version.pk], queue=queue)

    lines = wait_for_results(process, "videos.render_version[", 2)

    assert [line.rstrip().endswith(result) for line, result in zip(lines, ("True", "False"), strict=True)] == [
        True,
        True,
    ]
    version.refresh_from_db()
    video.refresh_from_db()
    assert version.status == VideoVersion.Status.READY and video.status == Video.Status.READY
    assert video.versions.count() == 1
    assert stored_files(media_root) == sorted([version.file.name, version.thumbnail.name])
    assert version.file.name == f"videos/{video.pk}/v1/{version.claim_token}/video.mp4"
