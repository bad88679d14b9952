"""Branding a video: the logo lands where the profile says, as opaque as it says; nothing else changes."""

import hashlib
import subprocess
from pathlib import Path

import pytest
from django.core.files.storage import default_storage

from billing.models import Plan
from tests.videos.media_tools import blend, ffprobe_json, frame_rgb, make_clip, make_logo, near, pixel, upload_of
from videos.models import Video, VideoVersion
from videos.services import branding_apply, branding_profile_create, version_restore, video_upload

pytestmark = pytest.mark.django_db

# A 320x180 blue video; the logo is 20 % of its width (64 px, square), 10 px from the edges.
WIDTH, HEIGHT, LOGO, MARGIN = 320, 180, 64, 10
BLUE, RED = (0, 0, 255), (255, 0, 0)


@pytest.fixture(autouse=True)
def pro(db):
    Plan.objects.filter(is_default=True).update(branding=True)


def audio_md5(path: Path) -> str:
    """The md5 of every audio packet as stored (no decoding), so a re-encode would show."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:a", "-c", "copy", "-f", "data", "-"],
        check=True,
        capture_output=True,
    ).stdout
    assert raw
    return hashlib.md5(raw).hexdigest()  # noqa: S324 (a checksum, not security)


def local(name: str) -> Path:
    return Path(default_storage.path(name))


def brand(creator, tmp_path, django_capture_on_commit_callbacks, *, logo: Path | None = None, **settings):
    clip = make_clip(tmp_path / "blue.mp4", seconds=2, size=f"{WIDTH}x{HEIGHT}", colour="blue")
    video = video_upload(user=creator, team=None, title="Blue", upload=upload_of(clip))
    logo = logo or make_logo(tmp_path / "logo.png")
    profile = branding_profile_create(
        actor=creator, team=None, name="Red", logo=upload_of(logo, "image/png"), scale=20, margin=MARGIN, **settings
    )
    with django_capture_on_commit_callbacks(execute=True):
        version = branding_apply(video=video, profile=profile, actor=creator)
    version.refresh_from_db()
    return video, version


# The centre of the logo's box and a point in the opposite corner, for each position.
CENTRES = {
    "top-left": (MARGIN + LOGO // 2, MARGIN + LOGO // 2),
    "top-right": (WIDTH - MARGIN - LOGO // 2, MARGIN + LOGO // 2),
    "bottom-left": (MARGIN + LOGO // 2, HEIGHT - MARGIN - LOGO // 2),
    "bottom-right": (WIDTH - MARGIN - LOGO // 2, HEIGHT - MARGIN - LOGO // 2),
    "center": (WIDTH // 2, HEIGHT // 2),
}


@pytest.mark.parametrize("position", list(CENTRES))
def test_the_logo_lands_at_each_position_blended_at_the_profiles_opacity(
    position, creator, tmp_path, django_capture_on_commit_callbacks
):
    _video, version = brand(creator, tmp_path, django_capture_on_commit_callbacks, position=position, opacity=50)

    assert version.status == VideoVersion.Status.READY, version.error_message
    frame = frame_rgb(local(version.file.name), at=1.0)
    x, y = CENTRES[position]
    assert near(pixel(frame, x, y), blend(RED, BLUE, 0.5)), pixel(frame, x, y)
    # The corner opposite the logo (and, for the centre, every corner) stays the video's blue.
    opposite = [(WIDTH - 1 - x, HEIGHT - 1 - y)] if position != "center" else [(4, 4), (315, 4), (4, 175), (315, 175)]
    for point in opposite:
        assert near(pixel(frame, *point), BLUE), (point, pixel(frame, *point))
    # The logo is 64 px wide: just outside its box the video is untouched.
    assert near(pixel(frame, x - LOGO // 2 - 3, y), BLUE) and near(pixel(frame, x + LOGO // 2 + 3, y), BLUE)


@pytest.mark.parametrize("opacity", [100, 25, 0])
def test_opacity_scales_the_logo_from_solid_to_invisible(
    opacity, creator, tmp_path, django_capture_on_commit_callbacks
):
    _video, version = brand(creator, tmp_path, django_capture_on_commit_callbacks, position="center", opacity=opacity)

    frame = frame_rgb(local(version.file.name), at=1.0)
    assert near(pixel(frame, WIDTH // 2, HEIGHT // 2), blend(RED, BLUE, opacity / 100)), pixel(frame, 160, 90)


def test_the_logos_own_transparency_is_kept(creator, tmp_path, django_capture_on_commit_callbacks):
    logo = make_logo(tmp_path / "half.png", transparent_right_half=True)
    _video, version = brand(
        creator, tmp_path, django_capture_on_commit_callbacks, logo=logo, position="center", opacity=100
    )

    frame = frame_rgb(local(version.file.name), at=1.0)
    # Left half of the 64 px logo is red; its transparent right half shows the blue beneath.
    assert near(pixel(frame, WIDTH // 2 - 16, HEIGHT // 2), RED)
    assert near(pixel(frame, WIDTH // 2 + 16, HEIGHT // 2), BLUE)


def test_branding_keeps_the_audio_bit_for_bit_and_the_codec_size_and_duration(
    creator, tmp_path, django_capture_on_commit_callbacks
):
    video, version = brand(creator, tmp_path, django_capture_on_commit_callbacks, position="top-right", opacity=80)
    before, after = local(video.versions.get(number=1).file.name), local(version.file.name)

    assert audio_md5(after) == audio_md5(before)
    streams = {path: {s["codec_type"]: s for s in ffprobe_json(path)["streams"]} for path in (before, after)}
    for kind in ("video", "audio"):
        assert streams[after][kind]["codec_name"] == streams[before][kind]["codec_name"]
    assert (streams[after]["video"]["width"], streams[after]["video"]["height"]) == (WIDTH, HEIGHT)
    assert streams[after]["video"]["r_frame_rate"] == streams[before]["video"]["r_frame_rate"]
    assert streams[after]["video"]["nb_frames"] == streams[before]["video"]["nb_frames"]
    durations = [float(ffprobe_json(path)["format"]["duration"]) for path in (before, after)]
    assert abs(durations[0] - durations[1]) < 0.05
    assert (version.width, version.height) == (WIDTH, HEIGHT) and abs(version.duration_seconds - durations[0]) < 0.05


def test_branding_is_a_new_version_and_restoring_the_old_one_undoes_it(
    creator, tmp_path, django_capture_on_commit_callbacks
):
    video, branded = brand(creator, tmp_path, django_capture_on_commit_callbacks, position="center", opacity=100)
    video.refresh_from_db()
    assert branded.number == 2 and video.current_version == branded and video.status == Video.Status.READY
    assert branded.change_description == "Branding “Red” applied to v1"
    assert branded.render_spec["branding"]["position"] == "center"

    with django_capture_on_commit_callbacks(execute=True):
        undone = version_restore(video=video, actor=creator, number=1)

    assert near(pixel(frame_rgb(local(undone.file.name), at=1.0), WIDTH // 2, HEIGHT // 2), BLUE)
    assert local(undone.file.name).read_bytes() == local(video.versions.get(number=1).file.name).read_bytes()
