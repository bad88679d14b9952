"""Teams announces deletions; videos removes its own rows and stored files when told."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from teams.services import team_delete, user_destroy
from teams.signals import team_deleting, user_deleting
from tests.videos.factories import VideoFactory, VideoVersionFactory
from videos.models import Video

pytestmark = pytest.mark.django_db


def _video_with_files(*, owner, team=None) -> tuple[Video, list[str]]:
    video = VideoFactory(owner=owner, team=team)
    names = [
        default_storage.save(f"videos/{video.pk}/final.mp4", ContentFile(b"video")),
        default_storage.save(f"videos/{video.pk}/thumb.jpg", ContentFile(b"jpg")),
        default_storage.save(f"videos/{video.pk}/v1.mp4", ContentFile(b"v1")),
    ]
    Video.objects.filter(pk=video.pk).update(file=names[0], thumbnail=names[1])
    VideoVersionFactory(video=video, number=1, file=names[2])
    return video, names


def _stored(names: list[str]) -> list[str]:
    return [name for name in names if default_storage.exists(name)]


def test_deleting_a_person_removes_every_video_they_own_and_its_files_once_committed(
    creator, outsider, team, staff, django_capture_on_commit_callbacks
):
    _personal, personal_files = _video_with_files(owner=creator)
    _in_team, team_files = _video_with_files(owner=creator, team=team)
    someone_elses, other_files = _video_with_files(owner=outsider)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user_destroy(user=creator, actor=staff)
        # Inside the transaction the rows are gone but the files wait for the commit.
        assert not Video.objects.filter(owner_id=creator.pk).exists()
        assert _stored(personal_files + team_files) == personal_files + team_files
    for callback in callbacks:
        callback()

    assert _stored(personal_files + team_files) == []
    assert Video.objects.filter(pk=someone_elses.pk).exists() and _stored(other_files) == other_files


def test_deleting_a_team_removes_its_videos_and_their_files_once_committed(
    creator, team, staff, django_capture_on_commit_callbacks
):
    in_team, team_files = _video_with_files(owner=creator, team=team)
    personal, personal_files = _video_with_files(owner=creator)

    with django_capture_on_commit_callbacks(execute=True):
        team_delete(team=team, actor=staff)

    assert not Video.objects.filter(pk=in_team.pk).exists() and _stored(team_files) == []
    assert Video.objects.filter(pk=personal.pk).exists() and _stored(personal_files) == personal_files


@pytest.mark.parametrize("signal", [user_deleting, team_deleting])
def test_an_app_that_refuses_the_deletion_rolls_it_back_and_keeps_every_file(
    signal, creator, team, staff, django_capture_on_commit_callbacks
):
    video, names = _video_with_files(owner=creator, team=team)

    def refuse(sender, **kwargs):
        raise RuntimeError("this app cannot clean up now")

    signal.connect(refuse, dispatch_uid="test.refuse")
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            if signal is user_deleting:
                user_destroy(user=creator, actor=staff)
            else:
                team_delete(team=team, actor=staff)
    finally:
        signal.disconnect(dispatch_uid="test.refuse")

    assert Video.objects.filter(pk=video.pk).exists()
    assert _stored(names) == names
