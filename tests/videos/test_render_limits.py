"""A render always ends: damaged media cannot wedge ffmpeg, and every ffmpeg call has a time limit.

Real ffmpeg throughout. Renders run with the system temporary folder moved under the test's own
folder, so the test can look for ffmpeg processes it left behind (and kill them if it did).
"""

import os
import signal
import tempfile
import threading
import time

import pytest
from django.core.files.storage import default_storage

from tests.videos.conftest import stored_files
from tests.videos.factories import TemplateFactory
from tests.videos.media_tools import ffmpeg_processes_under, make_clip, make_damaged_clip, upload_of
from videos.models import Video, VideoVersion
from videos.render.ffmpeg import RenderError, render_spec
from videos.render.spec import resolve_render_spec
from videos.services import video_create_from_template

pytestmark = pytest.mark.django_db

CLIP_SPEC = {
    "slots": [{"key": "clip", "kind": "clip"}],
    "scenes": [{"duration": 10, "background": "#000000", "text": "Clip", "slot": "clip"}],
}


def kill_ffmpeg_under(folder) -> None:
    for pid in ffmpeg_processes_under(folder):
        os.kill(pid, signal.SIGKILL)


@pytest.fixture
def own_temp(tmp_path, monkeypatch):
    """The system temporary folder, moved inside this test's folder; stray ffmpeg runs are killed at the end."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    kill_ffmpeg_under(folder)


def test_a_clip_with_damaged_frames_cannot_wedge_the_renderer(tmp_path, own_temp, settings):
    # Decoding this clip fills ffmpeg's stderr pipe many times over while the scene loops it.
    settings.VIDEO_RENDER_TIMEOUT_PER_SECOND, settings.VIDEO_RENDER_TIMEOUT_BASE_SECONDS = 2, 30
    clip = make_damaged_clip(tmp_path / "damaged.mp4")
    spec = resolve_render_spec(
        spec=CLIP_SPEC, duration=10, customization={}, slot_files={"clip": {"name": "clip.mp4", "kind": "clip"}}
    )
    outcome: list[str] = []

    def render() -> None:
        try:
            render_spec(spec, aspect_ratio="9:16", work_dir=own_temp, media={"clip.mp4": str(clip)})
            outcome.append("done")
        except RenderError:
            outcome.append("failed")

    # A thread, so that a wedged render fails this test instead of hanging the suite.
    worker = threading.Thread(target=render, daemon=True)
    worker.start()
    worker.join(timeout=2 * 10 + 30 + 15)

    assert outcome in (["done"], ["failed"]), "the render was still running past its time limit"
    assert ffmpeg_processes_under(own_temp) == []


def test_a_damaged_clip_that_reaches_a_media_slot_ends_the_render_within_its_limit(
    creator, tmp_path, own_temp, settings, media_root, django_capture_on_commit_callbacks
):
    settings.VIDEO_RENDER_TIMEOUT_PER_SECOND, settings.VIDEO_RENDER_TIMEOUT_BASE_SECONDS = 1, 20
    template = TemplateFactory(
        scene_spec=CLIP_SPEC, duration_seconds=10, min_duration_seconds=1, max_duration_seconds=10
    )
    good = make_clip(tmp_path / "good.mp4", seconds=1, size="64x64")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        video = video_create_from_template(
            user=creator, team=None, template=template, title="x", slot_uploads={"clip": upload_of(good)}
        )
    # However the upload checks evolve, suppose a damaged clip got past them: the stored slot file
    # is swapped for one before the worker renders.
    slot_file = video.media_assets.get().file.name
    default_storage.delete(slot_file)
    default_storage.save(slot_file, make_damaged_clip(tmp_path / "damaged.mp4").open("rb"))
    # A watchdog frees a wedged render (so the suite goes on); the time taken then shows it.
    watchdog = threading.Timer(60, kill_ffmpeg_under, args=[own_temp])
    watchdog.start()
    started = time.monotonic()
    try:
        for callback in callbacks:
            callback()
    finally:
        watchdog.cancel()

    assert time.monotonic() - started < 1 * 10 + 20 + 10  # the limit of the render, plus probing and storing
    video.refresh_from_db()
    version = video.versions.get()
    assert version.status in (VideoVersion.Status.READY, VideoVersion.Status.FAILED)
    assert video.status in (Video.Status.READY, Video.Status.FAILED)
    assert ffmpeg_processes_under(own_temp) == []


def test_a_render_that_runs_past_its_time_limit_is_stopped_and_fails_with_a_clear_message(
    creator, own_temp, settings, media_root, django_capture_on_commit_callbacks
):
    # A minute of video takes our test renderer a couple of seconds at least; allow half a second.
    settings.VIDEO_RENDER_TIMEOUT_PER_SECOND, settings.VIDEO_RENDER_TIMEOUT_BASE_SECONDS = 0, 0.5
    template = TemplateFactory(duration_seconds=60, min_duration_seconds=1, max_duration_seconds=60)
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        video = video_create_from_template(user=creator, team=None, template=template, title="Too long")

    assert time.monotonic() - started < 10
    video.refresh_from_db()
    version = video.versions.get()
    assert version.status == VideoVersion.Status.FAILED
    assert "took longer than" in version.error_message and "was stopped" in version.error_message
    assert video.status == Video.Status.FAILED and "took longer than" in video.status_message
    # The killed ffmpeg is gone, and the failed render left nothing in storage but the template's media.
    assert ffmpeg_processes_under(own_temp) == []
    assert [name for name in stored_files(media_root) if f"/v{version.number}/" in name] == []


def test_the_time_limit_grows_with_the_videos_duration(settings):
    from videos.render.ffmpeg import render_time_limit

    settings.VIDEO_RENDER_TIMEOUT_PER_SECOND, settings.VIDEO_RENDER_TIMEOUT_BASE_SECONDS = 10, 120
    assert render_time_limit(duration=0) == 120
    assert render_time_limit(duration=60) == 720


def test_ffmpeg_is_stopped_when_reporting_progress_fails(own_temp):
    # As when the database goes away mid-render: the error surfaces and ffmpeg does not run on.
    spec = resolve_render_spec(
        spec={"scenes": [{"duration": 30, "background": "#101010"}]}, duration=30, customization={}
    )

    def database_gone(percent: int) -> None:
        raise ConnectionError("database gone")

    with pytest.raises(ConnectionError):
        render_spec(spec, aspect_ratio="9:16", work_dir=own_temp, on_progress=database_gone)
    assert ffmpeg_processes_under(own_temp) == []
