"""A template's slot files are stored before the video's rows are written, outside any long
transaction: whatever fails once they are in storage, they are deleted again and no half-made
video remains."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from billing.models import Plan
from config.errors import DomainError, LimitReached, NotFound
from teams.models import User
from tests.factories import UserFactory
from tests.videos.conftest import stored_files
from tests.videos.factories import TemplateFactory
from tests.videos.media_tools import make_png, upload_of
from videos.models import MediaAsset, Video, VideoVersion
from videos.services import video_create_from_template


class SlowSlotUpload(SimpleUploadedFile):
    """A real image whose bytes arrive only after `meanwhile` ran, as while a slot file uploads
    other requests go on."""

    def __init__(self, path: Path, *, meanwhile: Callable[[], object]):
        super().__init__(path.name, path.read_bytes(), content_type="image/png")
        self.meanwhile = meanwhile

    def chunks(self, chunk_size: int | None = None):
        self.meanwhile()
        yield from super().chunks(chunk_size)


def create(user: User, template, *, title: str, picture) -> Video:
    return video_create_from_template(
        user=user, team=None, template=template, title=title, slot_uploads={"picture": picture}
    )


@pytest.mark.django_db
def test_a_monthly_limit_reached_while_a_slot_file_uploads_refuses_it_and_keeps_none_of_its_files(
    creator, template, tmp_path, media_root, django_capture_on_commit_callbacks
):
    Plan.objects.filter(is_default=True).update(videos_per_month=1)
    image = make_png(tmp_path / "picture.png")

    def create_another() -> Video:
        return create(creator, template, title="other", picture=upload_of(image, "image/png"))

    with pytest.raises(LimitReached):
        create(creator, template, title="late", picture=SlowSlotUpload(image, meanwhile=create_another))

    video = Video.objects.get()
    assert video.title == "other" and VideoVersion.objects.get().video == video
    assert MediaAsset.objects.get().video == video
    assert stored_files(media_root) == [f"videos/{video.pk}/media/picture.png"]


@pytest.mark.django_db
def test_a_create_whose_account_is_deleted_while_a_slot_file_uploads_is_refused_and_keeps_none_of_its_files(
    template, tmp_path, media_root
):
    # The checks pass when the create starts; the creator's account is deleted while the slot file
    # uploads, so writing the rows fails after the file was stored.
    user = UserFactory()
    image = make_png(tmp_path / "picture.png")

    def delete_the_user() -> None:
        User.objects.filter(pk=user.pk).delete()

    with pytest.raises(NotFound):
        create(user, template, title="x", picture=SlowSlotUpload(image, meanwhile=delete_the_user))

    assert not Video.objects.exists() and not VideoVersion.objects.exists() and not MediaAsset.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_slot_files_are_read_probed_and_stored(creator, template, tmp_path, media_root):
    # An open transaction would hold the account's row lock (and on SQLite lock out every other
    # writer) for as long as the slot files take to read, probe and store.
    image = make_png(tmp_path / "picture.png")
    in_transaction: list[bool] = []

    def note_the_transaction() -> None:
        in_transaction.append(connection.in_atomic_block)

    video = create(creator, template, title="x", picture=SlowSlotUpload(image, meanwhile=note_the_transaction))

    assert in_transaction == [False]
    asset = MediaAsset.objects.get()
    assert asset.video == video and asset.file.name == f"videos/{video.pk}/media/picture.png"
    assert video.versions.get().render_spec != {}
    assert f"videos/{video.pk}/media/picture.png" in stored_files(media_root)


@pytest.mark.django_db
def test_a_slot_file_of_the_wrong_kind_is_refused_and_the_slots_stored_before_it_are_deleted(
    creator, tmp_path, media_root
):
    template = TemplateFactory(
        scene_spec={
            "slots": [{"key": "logo", "kind": "image"}, {"key": "clip", "kind": "clip"}],
            "scenes": [{"duration": 1, "background": "#000000"}],
        }
    )
    image = make_png(tmp_path / "picture.png")

    with pytest.raises(DomainError) as error:
        video_create_from_template(
            user=creator,
            team=None,
            template=template,
            title="x",
            slot_uploads={"logo": upload_of(image, "image/png"), "clip": upload_of(image, "image/png")},
        )

    assert error.value.field == "slot_clip"
    assert not Video.objects.exists() and not MediaAsset.objects.exists()
    assert stored_files(media_root) == []
