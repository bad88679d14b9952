"""One request's files are capped in total and in number, and files no form field asks for never reach the disk."""

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import reverse

from billing.models import Plan
from tests.videos.conftest import stored_files
from tests.videos.factories import TemplateFactory
from tests.videos.media_tools import make_clip, make_png, upload_of
from videos.models import MediaAsset, Video
from videos.render.spec import MAX_SLOTS, SpecError, validate_scene_spec

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
# Per file: which field it came under and how many of its bytes reached Django's own handlers (the
# ones that write temporary files).
passed_on: list[list] = []


class BytesPassedOn(FileUploadHandler):
    """Listed in FILE_UPLOAD_HANDLERS for these tests: notes what the handlers before it let through."""

    def new_file(self, field_name: str, *args: object, **kwargs: object) -> None:
        super().new_file(field_name, *args, **kwargs)
        passed_on.append([field_name, 0])

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        passed_on[-1][1] += len(raw_data)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@pytest.fixture(autouse=True)
def one_mb_plan(settings):
    Plan.objects.filter(is_default=True).update(upload_size_mb=1)
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.BytesPassedOn", *settings.FILE_UPLOAD_HANDLERS]
    passed_on.clear()


def junk(name: str = "junk.bin", size: int = 100_000) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\0" * size, content_type="application/octet-stream")


def fields_passed_on() -> list[str]:
    return [field for field, _size in passed_on]


@pytest.fixture
def clip(tmp_path):
    return make_clip(tmp_path / "clip.mp4", seconds=1)


@pytest.fixture
def two_slot_template(db):
    return TemplateFactory(
        scene_spec={
            "slots": [{"key": "first", "kind": "any"}, {"key": "second", "kind": "any"}],
            "scenes": [
                {"duration": 1, "background": "#000000", "slot": "first"},
                {"duration": 1, "background": "#000000", "slot": "second"},
            ],
        }
    )


def test_the_upload_page_drops_file_fields_it_does_not_expect_before_they_reach_the_disk(
    creator_client, clip, media_root
):
    data = {"title": "Clip", "file": upload_of(clip), "attachment": junk(), "slot_picture": junk()}
    response = creator_client.post(reverse("videos:upload"), data)

    assert response.status_code == 302, response.content
    assert fields_passed_on() == ["file"]
    assert Video.objects.get().title == "Clip"


def test_the_upload_page_takes_one_file_per_field(creator_client, clip, media_root):
    data = {"title": "Clip", "file": [upload_of(clip), junk(), junk()]}
    response = creator_client.post(reverse("videos:upload"), data)

    assert response.status_code == 302, response.content
    assert fields_passed_on() == ["file"]  # the first; the others never reached a temporary file
    assert Video.objects.get().size_bytes == clip.stat().st_size


def test_the_api_upload_drops_file_fields_it_does_not_expect(api_client, creator, clip, media_root):
    api_client.force_authenticate(creator)
    data = {"title": "Clip", "file": upload_of(clip), "extra": junk(), "more": junk()}
    response = api_client.post(reverse("api-video-upload"), data, format="multipart")

    assert response.status_code == 201, response.content
    assert fields_passed_on() == ["file"]


def test_the_template_page_drops_files_for_slots_the_template_does_not_have(
    creator_client, template, tmp_path, media_root
):
    picture = make_png(tmp_path / "picture.png")
    data = {"title": "Slots", "duration": 2, "slot_picture": upload_of(picture, "image/png"), "slot_nope": junk()}
    response = creator_client.post(reverse("videos:template_use", args=[template.slug]), data)

    assert response.status_code == 302, response.content
    assert fields_passed_on() == ["slot_picture"]
    assert MediaAsset.objects.get().slot == "picture"


def test_the_template_page_caps_the_total_of_a_requests_files_and_says_so_on_the_field_that_passed_it(
    creator_client, two_slot_template, media_root
):
    # Each file is under the 1 MB plan limit; together they are over it.
    url = reverse("videos:template_use", args=[two_slot_template.slug])
    data = {"title": "Both", "duration": 2, "slot_first": junk(size=600_000), "slot_second": junk(size=600_000)}
    response = creator_client.post(url, data)

    assert response.status_code == 200
    form = response.context["form"]
    assert "Upload size" in form.errors["slot_second"][0]
    assert "slot_first" not in form.errors
    assert sum(size for _field, size in passed_on) <= 1 * MB
    assert not Video.objects.exists() and stored_files(media_root) == []


def test_the_api_create_caps_the_total_of_a_requests_files(api_client, creator, two_slot_template, media_root):
    api_client.force_authenticate(creator)
    data = {
        "template": two_slot_template.slug,
        "duration": "2",
        "slot_first": junk(size=600_000),
        "slot_second": junk(size=600_000),
    }
    response = api_client.post(reverse("api-video-list"), data, format="multipart")

    assert response.status_code == 400
    assert "Upload size" in response.json()["slot_second"][0]
    assert sum(size for _field, size in passed_on) <= 1 * MB
    assert not Video.objects.exists() and stored_files(media_root) == []


def test_the_api_create_takes_only_slot_fields_and_one_file_each(api_client, creator, template, tmp_path, media_root):
    api_client.force_authenticate(creator)
    picture = make_png(tmp_path / "picture.png")
    data = {
        "template": template.slug,
        "duration": "2",
        "slot_picture": [upload_of(picture, "image/png"), junk()],
        "file": junk(),
    }
    response = api_client.post(reverse("api-video-list"), data, format="multipart")

    assert response.status_code == 201, response.content
    assert fields_passed_on() == ["slot_picture"]


def test_a_request_with_more_files_than_any_form_takes_is_refused(creator_client, api_client, creator, media_root):
    too_many = [junk(f"{n}.bin", size=10) for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]

    response = creator_client.post(reverse("videos:upload"), {"title": "Many", "file": too_many})
    assert response.status_code == 400

    api_client.force_authenticate(creator)
    too_many = [junk(f"{n}.bin", size=10) for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)]
    response = api_client.post(reverse("api-video-upload"), {"title": "Many", "file": too_many}, format="multipart")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "This request sends more files or data than any form takes.",
        "code": "request_too_large",
    }

    assert fields_passed_on() == ["file", "file"]  # one per request; the rest never reached the disk
    assert not Video.objects.exists() and stored_files(media_root) == []


def test_the_file_count_limit_leaves_room_for_the_largest_form():
    # The largest form is a template with every slot it may have; Django's default took 100 files.
    assert MAX_SLOTS < django_settings.DATA_UPLOAD_MAX_NUMBER_FILES <= MAX_SLOTS + 4

    slots = [{"key": f"s{n}", "kind": "image"} for n in range(MAX_SLOTS + 1)]
    with pytest.raises(SpecError) as refused:
        validate_scene_spec({"slots": slots, "scenes": [{"duration": 1}]})
    assert f"at most {MAX_SLOTS} media slots" in refused.value.messages[0]
