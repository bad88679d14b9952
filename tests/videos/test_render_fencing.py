"""A duplicate render cannot undo a finished one: claims are fenced, attempts store files apart.

A render is re-claimed when its claim goes stale (a slow or lost worker) or its task is delivered
again. The tests interleave two real attempts by letting the first one's render step run the
second before it returns.
"""

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from tests.videos.conftest import stored_files
from videos.models import Video, VideoVersion
from videos.services import version_claim, version_render, versions_sweep_stalled, video_create_from_template
from videos.services import versions as versions_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(creator, template, django_capture_on_commit_callbacks) -> VideoVersion:
    """A version waiting for its render (the task's message not yet handled)."""
    with django_capture_on_commit_callbacks(execute=False):
        video = video_create_from_template(user=creator, team=None, template=template, title="Twice")
    return video.versions.get()


def make_claim_stale(version: VideoVersion, settings) -> None:
    long_ago = timezone.now() - timezone.timedelta(seconds=settings.VIDEO_RENDER_STALE_AFTER_SECONDS + 60)
    VideoVersion.objects.filter(pk=version.pk).update(started_at=long_ago)


def test_each_render_attempt_stores_its_files_under_a_path_of_its_own(
    queued, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert version_render(version_id=queued.pk) is True
    queued.refresh_from_db()
    token = queued.claim_token
    assert re.fullmatch(r"[0-9a-f]{16}", token)
    folder = f"videos/{queued.video_id}/v{queued.number}/{token}"
    assert (queued.file.name, queued.thumbnail.name) == (f"{folder}/video.mp4", f"{folder}/thumbnail.jpg")
    assert stored_files(media_root) == [f"{folder}/thumbnail.jpg", f"{folder}/video.mp4"]


def test_a_failing_attempt_cannot_undo_the_render_that_finished_while_it_ran(
    queued, media_root, settings, monkeypatch, django_capture_on_commit_callbacks
):
    real_render = versions_module.render_spec
    attempts: list[int] = []

    def first_attempt_outlives_its_claim(*args, **kwargs):
        attempts.append(1)
        result = real_render(*args, **kwargs)
        if len(attempts) == 1:
            # The first worker is so slow that its claim goes stale: a second attempt claims the
            # render again and finishes it.
            make_claim_stale(queued, settings)
            with django_capture_on_commit_callbacks(execute=True):
                assert version_render(version_id=queued.pk) is True
            # Then the first attempt fails half-way through storing: its thumbnail is gone.
            result.thumbnail_path.unlink()
        return result

    monkeypatch.setattr(versions_module, "render_spec", first_attempt_outlives_its_claim)
    with django_capture_on_commit_callbacks(execute=True):
        assert version_render(version_id=queued.pk) is False

    queued.refresh_from_db()
    video = queued.video
    video.refresh_from_db()
    assert len(attempts) == 2
    assert queued.status == VideoVersion.Status.READY and queued.error_message == ""
    assert video.status == Video.Status.READY and video.current_version_id == queued.pk
    assert video.file.name == queued.file.name and default_storage.exists(queued.file.name)
    # The second attempt's files are kept; the failed first attempt removed only its own.
    assert stored_files(media_root) == sorted([queued.file.name, queued.thumbnail.name])


def test_an_attempt_that_lost_its_claim_cannot_finish_the_render(
    queued, media_root, settings, monkeypatch, django_capture_on_commit_callbacks
):
    real_render = versions_module.render_spec
    second_claim: list[str | None] = []

    def claim_taken_over_while_rendering(*args, **kwargs):
        result = real_render(*args, **kwargs)
        make_claim_stale(queued, settings)
        second_claim.append(version_claim(version_id=queued.pk))  # another worker takes the render over
        return result

    monkeypatch.setattr(versions_module, "render_spec", claim_taken_over_while_rendering)
    with django_capture_on_commit_callbacks(execute=True):
        assert version_render(version_id=queued.pk) is False

    queued.refresh_from_db()
    assert second_claim[0] and queued.claim_token == second_claim[0]
    assert queued.status == VideoVersion.Status.RENDERING and not queued.file
    assert queued.video.status == Video.Status.RENDERING
    assert stored_files(media_root) == []  # the refused attempt took its files away again


def test_a_stale_claim_is_failed_by_the_sweeper_only_if_no_worker_claimed_it_since(
    queued, settings, django_capture_on_commit_callbacks
):
    from videos.services import version_mark_failed

    first = version_claim(version_id=queued.pk)
    make_claim_stale(queued, settings)
    second = version_claim(version_id=queued.pk)
    assert first and second and first != second

    assert version_mark_failed(version_id=queued.pk, claim_token=first, detail="late") is False
    queued.refresh_from_db()
    assert queued.status == VideoVersion.Status.RENDERING and queued.claim_token == second
    assert version_mark_failed(version_id=queued.pk, claim_token=second, detail="gone") is True
    queued.refresh_from_db()
    assert queued.status == VideoVersion.Status.FAILED


# --- What counts as a stalled render: one rule for the admin's re-send action and the sweeper ----


@pytest.fixture
def one_render_in_each_state(creator, template, settings, django_capture_on_commit_callbacks):
    """Versions of separate videos, each left in one state a render can be found in."""
    now = timezone.now()
    stale = timezone.timedelta(seconds=settings.VIDEO_RENDER_STALE_AFTER_SECONDS)
    minutes = timezone.timedelta(minutes=1)
    states = {
        "just queued": {"status": VideoVersion.Status.QUEUED},
        "queued, message lost": {"status": VideoVersion.Status.QUEUED, "created_at": now - 11 * minutes},
        "rendering": {"status": VideoVersion.Status.RENDERING, "started_at": now - minutes},
        "rendering, claim stale": {"status": VideoVersion.Status.RENDERING, "started_at": now - stale - minutes},
        "rendering, abandoned": {"status": VideoVersion.Status.RENDERING, "started_at": now - 2 * stale - minutes},
        "ready": {"status": VideoVersion.Status.READY},
        "failed": {"status": VideoVersion.Status.FAILED},
    }
    versions = {}
    for name, fields in states.items():
        with django_capture_on_commit_callbacks(execute=False):
            video = video_create_from_template(user=creator, team=None, template=template, title=name)
        video.versions.update(**fields)
        versions[name] = video.versions.get()
    return versions


def touched(versions: dict[str, VideoVersion]) -> set[str]:
    """The names of the versions whose status or claim changed since the fixture made them."""
    now = {v.pk: (v.status, v.claim_token) for v in VideoVersion.objects.all()}
    return {name for name, v in versions.items() if now[v.pk] != (v.status, v.claim_token)}


def statuses(versions: dict[str, VideoVersion]) -> dict[str, str]:
    now = dict(VideoVersion.objects.values_list("pk", "status"))
    return {name: now[v.pk] for name, v in versions.items()}


STALLED = {"queued, message lost", "rendering, claim stale", "rendering, abandoned"}


def test_the_stalled_render_rule_picks_lost_messages_and_silent_workers(one_render_in_each_state):
    stalled = set(VideoVersion.objects.stalled().values_list("pk", flat=True))
    assert {name for name, v in one_render_in_each_state.items() if v.pk in stalled} == STALLED


def test_the_admin_sends_again_exactly_the_renders_the_rule_calls_stalled(staff_client, one_render_in_each_state):
    response = staff_client.post(
        reverse("admin:videos_videoversion_changelist"),
        {"action": "enqueue_render", "_selected_action": [v.pk for v in one_render_in_each_state.values()]},
        follow=True,
    )

    assert touched(one_render_in_each_state) == STALLED
    # The (eager) worker rendered each one it was sent.
    assert {statuses(one_render_in_each_state)[name] for name in STALLED} == {VideoVersion.Status.READY}
    page = response.content.decode()
    assert "3 renders sent." in page and "4 selected renders are not stalled and were left alone." in page


def test_the_sweeper_acts_on_exactly_the_renders_the_rule_calls_stalled(one_render_in_each_state):
    assert versions_sweep_stalled() == {"requeued": 1, "reclaimed": 1, "failed": 1}

    assert touched(one_render_in_each_state) == STALLED
    status = statuses(one_render_in_each_state)
    assert status["queued, message lost"] == status["rendering, claim stale"] == VideoVersion.Status.READY
    assert status["rendering, abandoned"] == VideoVersion.Status.FAILED
