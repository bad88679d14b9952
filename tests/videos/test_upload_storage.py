"""An upload is stored before its rows are written, outside any long transaction: whatever fails
once the files are in storage, they are deleted again and no half-made video remains."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from billing.models import Plan
from config.errors import LimitReached, NotFound
from teams.models import User
from tests.factories import UserFactory
from tests.videos.conftest import stored_files
from tests.videos.factories import VideoFactory
from tests.videos.media_tools import make_clip, upload_of
from videos.models import Video, VideoVersion
from videos.services import video_upload


class SlowUpload(SimpleUploadedFile):
    """A real video file whose bytes arrive only after `meanwhile` ran, as while a big file uploads
    other requests go on."""

    def __init__(self, path: Path, *, meanwhile: Callable[[], object]):
        super().__init__(path.name, path.read_bytes(), content_type="video/mp4")
        self.meanwhile = meanwhile

    def chunks(self, chunk_size: int | None = None):
        self.meanwhile()
        yield from super().chunks(chunk_size)


@pytest.mark.django_db
def test_a_monthly_limit_reached_while_the_file_uploads_refuses_it_and_keeps_none_of_its_files(
    creator, tmp_path, media_root
):
    Plan.objects.filter(is_default=True).update(videos_per_month=1)
    other = make_clip(tmp_path / "other.mp4", seconds=0.5)
    late = make_clip(tmp_path / "late.mp4", seconds=0.5)

    def upload_another() -> Video:
        return video_upload(user=creator, team=None, title="other", upload=upload_of(other))

    with pytest.raises(LimitReached):
        video_upload(user=creator, team=None, title="late", upload=SlowUpload(late, meanwhile=upload_another))

    video = Video.objects.get()
    assert video.title == "other" and VideoVersion.objects.get().video == video
    assert stored_files(media_root) == [f"videos/{video.pk}/v1/thumbnail.jpg", f"videos/{video.pk}/v1/video.mp4"]


@pytest.mark.django_db
def test_an_upload_whose_account_is_deleted_meanwhile_is_refused_and_keeps_none_of_its_files(tmp_path, media_root):
    # The checks pass when the upload starts; the uploader's account is deleted while the file
    # uploads, so writing the rows fails after the files were stored.
    uploader = UserFactory()
    clip = make_clip(tmp_path / "clip.mp4", seconds=0.5)

    def delete_the_uploader() -> None:
        User.objects.filter(pk=uploader.pk).delete()

    with pytest.raises(NotFound):
        video_upload(user=uploader, team=None, title="x", upload=SlowUpload(clip, meanwhile=delete_the_uploader))

    assert not Video.objects.exists() and not VideoVersion.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_the_file_is_read_and_probed(creator, tmp_path):
    # An open transaction would hold the account's row lock (and on SQLite lock out every other
    # writer) for as long as a big file takes to read, probe and store.
    clip = make_clip(tmp_path / "clip.mp4", seconds=0.5)
    in_transaction: list[bool] = []

    def note_the_transaction() -> None:
        in_transaction.append(connection.in_atomic_block)

    video_upload(user=creator, team=None, title="x", upload=SlowUpload(clip, meanwhile=note_the_transaction))

    assert in_transaction == [False]
    assert Video.objects.get().title == "x"


@pytest.mark.django_db
def test_a_video_made_while_an_upload_is_in_progress_never_takes_the_uploads_id(creator, template, tmp_path):
    clip = make_clip(tmp_path / "clip.mp4", seconds=0.5)
    made: list[Video] = []

    def make_another_video() -> None:
        made.append(VideoFactory(owner=creator, template=template))

    uploaded = video_upload(user=creator, team=None, title="x", upload=SlowUpload(clip, meanwhile=make_another_video))

    assert uploaded.pk != made[0].pk
    assert set(Video.objects.values_list("pk", flat=True)) == {uploaded.pk, made[0].pk}
    assert uploaded.file.name == f"videos/{uploaded.pk}/v1/video.mp4"
