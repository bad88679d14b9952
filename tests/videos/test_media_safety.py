"""User media is checked once, in `videos.media`, before anything is stored: only the containers we
allow (by what ffprobe detects, never by the name), read from local files only, within size and
time limits, decoded as far as a bounded check goes, and stored as a fresh file of ours under a
name and content type of our choosing.

Each attack is tried on every door a file comes in by: the upload page, the API's upload, a
template's media slot on the page and in the API's create.
"""

import os
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config.errors import DomainError
from tests.videos.conftest import stored_files
from tests.videos.factories import SIMPLE_SPEC, TemplateFactory
from tests.videos.media_tools import (
    close,
    ffprobe_json,
    frame_rgb,
    make_clip,
    make_damaged_clip,
    make_ffconcat_list,
    make_hls_playlist,
    make_image,
    make_png,
    pixel,
    upload_of,
)
from videos.models import MediaAsset, Video, VideoVersion
from videos.services import video_create_from_template, video_upload

pytestmark = pytest.mark.django_db

SCRIPT = b"<html><script>alert(document.cookie)</script></html>"


@pytest.fixture
def any_slot_template(db):
    """A template whose one slot takes an image or a clip."""
    return TemplateFactory(scene_spec={**SIMPLE_SPEC, "slots": [{"key": "picture", "kind": "any", "label": "Picture"}]})


@pytest.fixture
def victim_video(media_root, tmp_path) -> Path:
    """Another customer's stored video, at the predictable path an attacker would name."""
    path = media_root / "videos" / "1" / "v1" / "video.mp4"
    path.parent.mkdir(parents=True)
    make_clip(path, seconds=1, size="64x36", colour="green")
    return path


def post_as_upload(client, api_client, creator, template, door: str, upload: SimpleUploadedFile):
    """Send `upload` through one door; return (status code, response text)."""
    if door == "upload page":
        response = client.post(reverse("videos:upload"), {"title": "Holiday", "file": upload})
    elif door == "api upload":
        api_client.force_authenticate(creator)
        response = api_client.post(
            reverse("api-video-upload"), {"title": "Holiday", "file": upload}, format="multipart"
        )
    elif door == "slot page":
        data = {"title": "Launch", "text_0": "Hi", "text_color": "#ffffff", "duration": 2, "slot_picture": upload}
        response = client.post(reverse("videos:template_use", args=[template.slug]), data)
    else:
        api_client.force_authenticate(creator)
        data = {"template": template.slug, "duration": "2", "slot_picture": upload}
        response = api_client.post(reverse("api-video-list"), data, format="multipart")
    return response.status_code, response.content.decode()


DOORS = ["upload page", "api upload", "slot page", "api slot"]


def assert_refused_and_nothing_stored(status: int, body: str, media_root: Path, *, kept: list[str], words: str):
    assert status in (200, 400), body  # the form again, or the API's validation error
    assert words in body, body
    assert not Video.objects.exists() and not VideoVersion.objects.exists() and not MediaAsset.objects.exists()
    assert stored_files(media_root) == kept


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize(
    "segment",
    ["{victim}", "file:{victim}", "concat:{victim}|{victim}", "subfile,,start,0,end,0,,:{victim}"],
    ids=["path", "file-url", "concat-protocol", "subfile-protocol"],
)
def test_an_hls_playlist_named_like_a_clip_is_refused_and_nothing_is_stored(
    door, segment, creator_client, api_client, creator, any_slot_template, victim_video, media_root, tmp_path
):
    playlist = make_hls_playlist(tmp_path / "holiday.mp4", segments=[segment.format(victim=victim_video)])
    status, body = post_as_upload(
        creator_client, api_client, creator, any_slot_template, door, upload_of(playlist, "video/mp4")
    )
    assert_refused_and_nothing_stored(status, body, media_root, kept=["videos/1/v1/video.mp4"], words="we accept")


@pytest.mark.parametrize("door", DOORS)
def test_an_ffconcat_list_is_refused_and_nothing_is_stored(
    door, creator_client, api_client, creator, any_slot_template, victim_video, media_root, tmp_path
):
    listing = make_ffconcat_list(
        tmp_path / "holiday.mp4", files=[str(victim_video), "../../media/videos/1/v1/video.mp4"]
    )
    status, body = post_as_upload(
        creator_client, api_client, creator, any_slot_template, door, upload_of(listing, "video/mp4")
    )
    assert_refused_and_nothing_stored(status, body, media_root, kept=["videos/1/v1/video.mp4"], words="we accept")


@pytest.mark.parametrize("door", DOORS)
def test_a_file_named_as_a_concat_protocol_url_is_refused_and_nothing_is_stored(
    door, creator_client, api_client, creator, any_slot_template, victim_video, media_root, tmp_path
):
    # The name ffmpeg would read as "concatenate these files" (Django keeps only what follows the
    # last slash, so the attack names relative paths); the content is a playlist to the same files.
    name = "concat:video.mp4|video.mp4"
    playlist = make_hls_playlist(tmp_path / "list.m3u8", segments=[f"concat:{victim_video}|{victim_video}"])
    upload = upload_of(playlist, "video/mp4", name=name)
    status, body = post_as_upload(creator_client, api_client, creator, any_slot_template, door, upload)
    assert_refused_and_nothing_stored(status, body, media_root, kept=["videos/1/v1/video.mp4"], words="we accept")


@pytest.mark.parametrize("name", ["concat:video.mp4|video.mp4", "subfile,,start,0,end,0,,:video.mp4", "file:x.mp4"])
def test_a_real_clip_under_a_protocol_like_name_is_read_as_its_own_bytes_and_stored_under_our_name(
    name, creator, victim_video, tmp_path
):
    clip = make_clip(tmp_path / "mine.mp4", seconds=1, size="96x54", colour="red")
    video = video_upload(user=creator, team=None, title="mine", upload=upload_of(clip, name=name))
    assert video.file.name == f"videos/{video.pk}/v1/video.mp4"
    assert (video.width, video.height) == (96, 54)  # the clip's own size, not the victim's 64x36


def test_an_hls_playlist_in_a_slot_is_refused_by_the_service_with_the_slots_field(
    creator, any_slot_template, victim_video, tmp_path
):
    playlist = make_hls_playlist(tmp_path / "holiday.mp4", segments=[str(victim_video)])
    with pytest.raises(DomainError) as refused:
        video_create_from_template(
            user=creator,
            team=None,
            template=any_slot_template,
            title="x",
            slot_uploads={"picture": upload_of(playlist)},
        )
    assert refused.value.field == "slot_picture"


# --- The renderer reads a stored slot file as a local file of our containers only -----------------


def a_render_of_a_swapped_slot_file(creator, template, upload, swapped_in: Path, callbacks_capture) -> VideoVersion:
    """Create a video from `template` with `upload` in its slot, then (as if the storage had been
    written behind our back, or a check let something through) swap the stored slot file for
    `swapped_in` before the worker renders it; the rendered version."""
    with callbacks_capture(execute=False) as callbacks:
        video = video_create_from_template(
            user=creator, team=None, template=template, title="x", slot_uploads={"picture": upload}
        )
    slot_file = MediaAsset.objects.get(video=video).file.name
    default_storage.delete(slot_file)
    with swapped_in.open("rb") as handle:
        assert default_storage.save(slot_file, handle) == slot_file
    for callback in callbacks:
        callback()
    return video.versions.get()


@pytest.mark.parametrize("slot_content", ["clip", "image"])
@pytest.mark.parametrize(
    "segment", ["{victim}", "file:{victim}", "concat:{victim}|{victim}"], ids=["path", "file-url", "concat-protocol"]
)
def test_a_stored_slot_file_swapped_for_an_hls_playlist_is_not_followed_by_the_renderer(
    slot_content, segment, creator, any_slot_template, victim_video, tmp_path, media_root,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    if slot_content == "clip":
        upload = upload_of(make_clip(tmp_path / "mine.mp4", seconds=1, size="64x36", colour="red"))
    else:
        upload = upload_of(make_png(tmp_path / "mine.png", colour="red"), "image/png")
    playlist = make_hls_playlist(tmp_path / "playlist.txt", segments=[segment.format(victim=victim_video)])

    version = a_render_of_a_swapped_slot_file(
        creator, any_slot_template, upload, playlist, django_capture_on_commit_callbacks
    )

    if version.status == VideoVersion.Status.READY:
        # Had it rendered, the slot's scene (the second second) would show the victim's green frames.
        rendered = frame_rgb(media_root / version.file.name, at=1.7)
        assert not close(pixel(rendered, rendered[0] // 2, rendered[1] // 2), "#008000", tolerance=40)
    assert version.status == VideoVersion.Status.FAILED
    assert "could not be rendered" in version.error_message
    assert "a media file is in a format we do not accept" in version.error_message
    assert str(victim_video) not in version.error_message


# --- Stored names and content types come from what the file is -------------------------------------


def test_an_mp4_with_a_script_appended_named_html_is_stored_as_a_clean_mp4(creator, tmp_path, media_root):
    clip = make_clip(tmp_path / "clip.mp4", seconds=1, size="64x36")
    upload = SimpleUploadedFile("x.html", clip.read_bytes() + SCRIPT, content_type="text/html")
    video = video_upload(user=creator, team=None, title="x", upload=upload)

    assert video.file.name == f"videos/{video.pk}/v1/video.mp4"
    assert stored_files(media_root) == [f"videos/{video.pk}/v1/thumbnail.jpg", f"videos/{video.pk}/v1/video.mp4"]
    with default_storage.open(video.file.name) as handle:
        stored = handle.read()
    assert b"<script" not in stored  # a remux of the streams, not the uploaded bytes
    assert {s["codec_name"] for s in ffprobe_json(media_root / video.file.name)["streams"]} == {"h264", "aac"}


@pytest.mark.parametrize(
    ("made_as", "stored_as"), [("png", "png"), ("jpg", "jpg"), ("webp", "webp")], ids=["png", "jpeg", "webp"]
)
def test_a_slot_image_is_stored_under_the_extension_of_its_detected_format(
    made_as, stored_as, creator, any_slot_template, tmp_path, media_root
):
    image = make_image(tmp_path / f"picture.{made_as}")
    upload = SimpleUploadedFile("x.html", image.read_bytes(), content_type="text/html")
    video = video_create_from_template(
        user=creator, team=None, template=any_slot_template, title="x", slot_uploads={"picture": upload}
    )
    asset = MediaAsset.objects.get()
    assert asset.kind == "image" and asset.file.name == f"videos/{video.pk}/media/picture.{stored_as}"


def test_a_slot_clip_is_remuxed_and_stored_as_mp4_without_data_or_attachment_streams(
    creator, any_slot_template, tmp_path, media_root
):
    clip = make_clip(tmp_path / "clip.mp4", seconds=1, size="64x36")
    font = tmp_path / "notes.txt"
    font.write_text("an attachment that must not travel with the clip")
    mkv = tmp_path / "clip.mkv"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(clip), "-attach", str(font), "-metadata:s:t", "mimetype=text/plain",
         "-c", "copy", str(mkv)],
        check=True,
    )  # fmt: skip
    assert "attachment" in {s["codec_type"] for s in ffprobe_json(mkv)["streams"]}
    upload = SimpleUploadedFile("clip.html", mkv.read_bytes() + SCRIPT, content_type="text/html")
    video = video_create_from_template(
        user=creator, team=None, template=any_slot_template, title="x", slot_uploads={"picture": upload}
    )
    asset = MediaAsset.objects.get()
    assert asset.kind == "clip" and asset.file.name == f"videos/{video.pk}/media/picture.mp4"
    streams = ffprobe_json(media_root / asset.file.name)["streams"]
    assert sorted(s["codec_type"] for s in streams) == ["audio", "video"]
    assert asset.size_bytes == (media_root / asset.file.name).stat().st_size


@pytest.mark.parametrize(
    ("encoders", "suffix", "stored_as"),
    [
        (["-c:v", "libvpx-vp9", "-c:a", "libopus"], ".webm", ".mp4"),
        (["-c:v", "libvpx", "-c:a", "libvorbis"], ".webm", ".webm"),
        (["-c:v", "prores_ks", "-c:a", "pcm_s16le"], ".mov", ".mov"),
    ],
    ids=["vp9-opus-to-mp4", "vp8-vorbis-stays-webm", "prores-pcm-stays-mov"],
)
def test_an_uploaded_video_is_remuxed_into_mp4_or_the_container_that_holds_its_tracks(
    encoders, suffix, stored_as, creator, tmp_path, media_root
):
    source = tmp_path / f"source{suffix}"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "color=s=64x36:r=10:d=1", "-f", "lavfi", "-i", "sine=d=1",
         *encoders, "-shortest", str(source)],
        check=True,
    )  # fmt: skip
    video = video_upload(user=creator, team=None, title="x", upload=upload_of(source, name="x.html"))
    assert video.file.name == f"videos/{video.pk}/v1/video{stored_as}"
    stored = ffprobe_json(media_root / video.file.name)["streams"]
    assert [s["codec_type"] for s in stored] == ["video", "audio"]


# --- Dimensions ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "words"),
    [("8200x16", "8192 pixels"), ("7000x6000", "40 megapixels")],
    ids=["too-wide", "too-many-pixels"],
)
def test_a_slot_image_too_large_is_refused_and_nothing_is_stored(
    size, words, creator_client, any_slot_template, tmp_path, media_root
):
    image = make_image(tmp_path / "huge.png", size=size)
    data = {"title": "x", "text_0": "Hi", "text_color": "#ffffff", "duration": 2, "slot_picture": upload_of(image)}
    response = creator_client.post(reverse("videos:template_use", args=[any_slot_template.slug]), data)
    assert response.status_code == 200 and words in response.content.decode()
    assert not Video.objects.exists() and stored_files(media_root) == []


def test_a_clip_wider_than_8192_pixels_is_refused_and_nothing_is_stored(creator_client, tmp_path, media_root):
    clip = make_clip(tmp_path / "wide.mp4", seconds=0.5, size="8200x16", audio=False)
    response = creator_client.post(reverse("videos:upload"), {"title": "Wide", "file": upload_of(clip)})
    assert response.status_code == 200 and "8192 pixels" in response.content.decode()
    assert not Video.objects.exists() and stored_files(media_root) == []


# --- Damaged frames and time limits ------------------------------------------------------------------


@pytest.mark.parametrize("door", DOORS)
def test_a_clip_with_corrupted_frames_is_refused_within_the_time_limit(
    door, creator_client, api_client, creator, any_slot_template, tmp_path, media_root, settings
):
    settings.MEDIA_CHECK_TIMEOUT_SECONDS = 10
    clip = make_damaged_clip(tmp_path / "damaged.mp4")
    started = time.monotonic()
    status, body = post_as_upload(creator_client, api_client, creator, any_slot_template, door, upload_of(clip))
    elapsed = time.monotonic() - started
    assert_refused_and_nothing_stored(status, body, media_root, kept=[], words="damaged")
    assert elapsed < settings.MEDIA_CHECK_TIMEOUT_SECONDS


def our_children() -> list[str]:
    """The names of this process's live child processes (from /proc)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue  # it ended while we looked
        if int(rest.split()[1]) == os.getpid():
            children.append(name.split("(", 1)[1])
    return children


def test_a_probe_that_takes_too_long_is_stopped_and_the_file_refused(creator, settings, tmp_path, media_root):
    settings.MEDIA_PROBE_TIMEOUT_SECONDS = 0.001
    clip = make_clip(tmp_path / "slow.mp4", seconds=1)
    started = time.monotonic()
    with pytest.raises(DomainError) as refused:
        video_upload(user=creator, team=None, title="slow", upload=upload_of(clip))
    assert "took too long" in str(refused.value.message)
    assert time.monotonic() - started < 5
    assert not {"ffprobe", "ffmpeg"} & set(our_children())  # killed and reaped, not left running
    assert not Video.objects.exists() and stored_files(media_root) == []


def test_a_slot_check_that_takes_longer_than_its_limit_is_stopped_and_the_slot_refused(
    creator, any_slot_template, settings, tmp_path, media_root
):
    settings.MEDIA_CHECK_TIMEOUT_SECONDS = 0.001
    clip = make_clip(tmp_path / "slow.mp4", seconds=1)
    with pytest.raises(DomainError) as refused:
        video_create_from_template(
            user=creator, team=None, template=any_slot_template, title="x", slot_uploads={"picture": upload_of(clip)}
        )
    assert "took too long" in str(refused.value.message) and refused.value.field == "slot_picture"
    assert not Video.objects.exists() and stored_files(media_root) == []


def test_a_png_slot_still_works(creator, template, tmp_path, media_root):
    image = make_png(tmp_path / "picture.png")
    video = video_create_from_template(
        user=creator, team=None, template=template, title="x", slot_uploads={"picture": upload_of(image, "image/png")}
    )
    assert stored_files(media_root) == [f"videos/{video.pk}/media/picture.png"]


# --- On S3: the object's type is the detected one, and it downloads as an attachment ----------------

from tests.s3 import BUCKET  # noqa: E402 (the bucket of the shared moto fixtures)


def test_on_s3_an_uploaded_video_named_html_is_stored_as_video_mp4_for_download(
    creator,
    s3_storage,
    tmp_path,
):
    clip = make_clip(tmp_path / "clip.mp4", seconds=1, size="64x36")
    upload = SimpleUploadedFile("x.html", clip.read_bytes() + SCRIPT, content_type="text/html")
    video = video_upload(user=creator, team=None, title="x", upload=upload)

    head = s3_storage.head_object(Bucket=BUCKET, Key=video.file.name)
    assert video.file.name.endswith("/video.mp4")
    assert head["ContentType"] == "video/mp4" and head["ContentDisposition"] == "attachment"
    thumbnail = s3_storage.head_object(Bucket=BUCKET, Key=video.thumbnail.name)
    assert thumbnail["ContentType"] == "image/jpeg"
    for name in (video.file.name, video.thumbnail.name):
        default_storage.delete(name)


def test_on_s3_a_slot_image_gets_the_content_type_of_its_detected_format(
    creator,
    any_slot_template,
    s3_storage,
    tmp_path,
):
    image = make_image(tmp_path / "picture.webp")
    upload = SimpleUploadedFile("picture.svg", image.read_bytes(), content_type="image/svg+xml")
    video_create_from_template(
        user=creator, team=None, template=any_slot_template, title="x", slot_uploads={"picture": upload}
    )
    asset = MediaAsset.objects.get()
    head = s3_storage.head_object(Bucket=BUCKET, Key=asset.file.name)
    assert asset.file.name.endswith("/picture.webp") and head["ContentType"] == "image/webp"
    assert head["ContentDisposition"] == "attachment"
    default_storage.delete(asset.file.name)


def test_the_input_options_for_reading_stored_media_again_refuse_a_playlist_and_loop_an_image(tmp_path, victim_video):
    import ffmpeg

    from videos.media import local_input_options

    image = make_png(tmp_path / "media-0.png")
    looped = ffmpeg.input(str(image), loop=1, t="0.5", framerate=10, **local_input_options())
    ffmpeg.output(looped, "-", f="null").run(quiet=True)

    playlist = make_hls_playlist(tmp_path / "media-1.mp4", segments=[str(victim_video)])
    with pytest.raises(ffmpeg.Error) as refused:
        ffmpeg.output(ffmpeg.input(str(playlist), **local_input_options()), "-", f="null").run(quiet=True)
    assert b"not on whitelist" in refused.value.stderr
