"""Rendering real videos with ffmpeg from templates, checked with ffprobe and by reading pixels."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from config.errors import DomainError
from insights.models import Event
from tests.videos.conftest import stored_files
from tests.videos.factories import TemplateFactory
from tests.videos.media_tools import close, ffprobe_json, frame_rgb, make_clip, make_png, pixel, upload_of
from videos.models import Template, Video, VideoVersion
from videos.render.ffmpeg import render_spec
from videos.render.spec import resolve_render_spec
from videos.services import version_render, versions_sweep_stalled, video_create_from_template, video_edit

pytestmark = pytest.mark.django_db


def local_copy(name: str, tmp_path: Path) -> Path:
    target = tmp_path / Path(name).name
    with default_storage.open(name, "rb") as handle:
        target.write_bytes(handle.read())
    return target


def create(user, template, django_capture_on_commit_callbacks, **kwargs) -> Video:
    with django_capture_on_commit_callbacks(execute=True):
        video = video_create_from_template(user=user, team=None, template=template, title="My video", **kwargs)
    video.refresh_from_db()
    return video


def test_a_starter_template_renders_a_real_h264_aac_mp4_with_its_colours_and_text(
    creator, tmp_path, django_capture_on_commit_callbacks
):
    template = Template.objects.get(slug="youtube-short-quote-animation")
    video = create(
        creator,
        template,
        django_capture_on_commit_callbacks,
        customization={"duration": 5, "texts": ["Stay curious"], "backgrounds": ["#1e1b4b"]},
    )

    assert video.status == Video.Status.READY
    version = video.current_version
    assert version.number == 1 and version.status == VideoVersion.Status.READY and version.progress == 100
    # Each render attempt stores its files in a folder named by its claim token.
    assert version.file.name == f"videos/{video.pk}/v1/{version.claim_token}/video.mp4"
    assert version.thumbnail.name == f"videos/{video.pk}/v1/{version.claim_token}/thumbnail.jpg"
    path = local_copy(version.file.name, tmp_path)
    info = ffprobe_json(path)
    codecs = {s["codec_type"]: s for s in info["streams"]}
    assert codecs["video"]["codec_name"] == "h264"
    assert codecs["audio"]["codec_name"] == "aac"
    assert (codecs["video"]["width"], codecs["video"]["height"]) == (160, 284)  # 9:16 at the test size
    assert float(info["format"]["duration"]) == pytest.approx(5, abs=0.15)
    assert video.duration_seconds == pytest.approx(5, abs=0.15) and video.size_bytes == path.stat().st_size

    # The first scene's background fills the corner; the text is drawn in white in the middle.
    frame = frame_rgb(path, at=1.0)
    assert close(pixel(frame, 3, 3), "#1e1b4b")
    white = sum(1 for y in range(100, 184) for x in range(160) if close(pixel(frame, x, y), "#ffffff", 40))
    assert white > 50
    # The last scene has its own colour.
    assert close(pixel(frame_rgb(path, at=4.8), 3, 3), "#0f172a")
    thumbnail = local_copy(version.thumbnail.name, tmp_path)
    assert thumbnail.read_bytes()[:2] == b"\xff\xd8"  # a JPEG


def test_using_a_template_counts_its_use_and_records_the_events(creator, template, django_capture_on_commit_callbacks):
    video = create(creator, template, django_capture_on_commit_callbacks)
    template.refresh_from_db()
    assert template.usage_count == 1
    names = set(Event.objects.values_list("name", flat=True))
    assert {"video.created", "template.used"} <= names
    assert Event.objects.get(name="video.created").subject_id == str(video.pk)


def test_landscape_and_square_templates_render_at_their_aspect_ratio(
    creator, tmp_path, django_capture_on_commit_callbacks
):
    for ratio, size in (("16:9", (284, 160)), ("1:1", (284, 284))):
        template = TemplateFactory(aspect_ratio=ratio)
        video = create(creator, template, django_capture_on_commit_callbacks)
        stream = ffprobe_json(local_copy(video.file.name, tmp_path))["streams"][0]
        assert (stream["width"], stream["height"]) == size


def test_an_image_in_a_media_slot_is_shown_in_its_scene(
    creator, template, tmp_path, django_capture_on_commit_callbacks
):
    image = make_png(tmp_path / "yellow.png", colour="yellow", size="64x64")
    video = create(
        creator,
        template,
        django_capture_on_commit_callbacks,
        slot_uploads={"picture": upload_of(image, "image/png")},
    )
    assert video.status == Video.Status.READY
    assert video.media_assets.get().kind == "image"
    frame = frame_rgb(local_copy(video.file.name, tmp_path), at=1.8)
    # The picture, centred (128 px square); sampled below the scene's text, which is drawn over it.
    assert close(pixel(frame, 80, 180), "#ffff00", 70)
    assert close(pixel(frame, 3, 3), "#0000ff")  # on the second scene's background


def test_a_media_slot_rejects_a_file_that_is_not_an_image_or_clip(creator, template, tmp_path):
    bogus = tmp_path / "notes.png"
    bogus.write_text("not an image")
    with pytest.raises(DomainError) as error:
        video_create_from_template(
            user=creator,
            team=None,
            template=template,
            title="x",
            slot_uploads={"picture": upload_of(bogus, "image/png")},
        )
    assert error.value.field == "slot_picture"
    assert not Video.objects.exists()
    assert stored_files(Path(default_storage.location)) == []


def test_the_duration_must_stay_within_the_templates_bounds(creator, template):
    with pytest.raises(DomainError) as error:
        video_create_from_template(
            user=creator, team=None, template=template, title="x", customization={"duration": 60}
        )
    assert error.value.field == "duration"
    assert not Video.objects.exists()


def test_running_the_render_task_twice_makes_one_version_and_one_file(
    creator, template, media_root, django_capture_on_commit_callbacks
):
    video = create(creator, template, django_capture_on_commit_callbacks)
    version = video.current_version
    files_before = stored_files(media_root)

    assert version_render(version_id=version.pk) is False  # a duplicate delivery finds nothing to claim

    assert video.versions.count() == 1
    assert stored_files(media_root) == files_before == sorted([version.file.name, version.thumbnail.name])


def test_a_render_lost_with_its_worker_is_claimed_again_and_replaces_its_files(
    creator, template, media_root, settings, django_capture_on_commit_callbacks
):
    video = create(creator, template, django_capture_on_commit_callbacks)
    version = video.current_version
    # As if a worker died mid-render long ago: status stuck at rendering, files half written.
    VideoVersion.objects.filter(pk=version.pk).update(
        status=VideoVersion.Status.RENDERING, started_at=timezone.now() - timezone.timedelta(hours=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert version_render(version_id=version.pk) is True
    version.refresh_from_db()
    assert version.status == VideoVersion.Status.READY
    # The new attempt's files replace the lost one's.
    assert stored_files(media_root) == sorted([version.file.name, version.thumbnail.name])
    assert video.versions.count() == 1


def test_a_failed_render_says_why_and_never_stays_rendering(
    creator, template, tmp_path, django_capture_on_commit_callbacks
):
    image = make_png(tmp_path / "pic.png")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        video = video_create_from_template(
            user=creator,
            team=None,
            template=template,
            title="x",
            slot_uploads={"picture": upload_of(image, "image/png")},
        )
    # The uploaded picture disappears from storage before the worker gets to it.
    default_storage.delete(video.media_assets.get().file.name)
    for callback in callbacks:
        callback()
    video.refresh_from_db()
    version = video.versions.get()
    assert version.status == VideoVersion.Status.FAILED
    assert "could not be rendered" in version.error_message
    assert video.status == Video.Status.FAILED and video.status_message


def test_editing_texts_renders_a_new_version_under_its_own_path(creator, template, django_capture_on_commit_callbacks):
    video = create(creator, template, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        video_edit(
            video=video,
            actor=creator,
            customization={"texts": ["Changed"], "duration": 3},
            change_description="New headline",
        )
    video.refresh_from_db()
    assert video.status == Video.Status.READY
    assert video.current_version.number == 2
    assert video.current_version.change_description == "New headline"
    assert video.file.name == f"videos/{video.pk}/v2/{video.current_version.claim_token}/video.mp4"
    assert video.duration_seconds == pytest.approx(3, abs=0.15)
    assert default_storage.exists(video.versions.get(number=1).file.name)


def test_an_invalid_scene_spec_is_refused_with_every_problem_named():
    template = TemplateFactory.build(
        scene_spec={"scenes": [{"duration": 0, "background": "red", "transition": "spin", "slot": "nope"}]}
    )
    with pytest.raises(Exception) as error:
        template.full_clean()
    messages = error.value.message_dict["scene_spec"]
    assert any("duration" in m for m in messages)
    assert any("background" in m for m in messages)
    assert any("transition" in m for m in messages)
    assert any("nope" in m for m in messages)


def test_a_clip_in_a_media_slot_is_shown_in_its_scene(creator, tmp_path, django_capture_on_commit_callbacks):
    template = TemplateFactory(
        scene_spec={
            "slots": [{"key": "clip", "kind": "clip"}],
            "scenes": [{"duration": 2, "background": "#000000", "text": "", "slot": "clip"}],
        }
    )
    clip = make_clip(tmp_path / "green.mp4", seconds=0.5, size="64x64", colour="lime")
    video = create(creator, template, django_capture_on_commit_callbacks, slot_uploads={"clip": upload_of(clip)})
    assert video.status == Video.Status.READY and video.media_assets.get().kind == "clip"
    frame = frame_rgb(local_copy(video.file.name, tmp_path), at=1.5)  # the short clip loops
    assert close(pixel(frame, 80, 142), "#00ff00", 60)
    assert close(pixel(frame, 3, 3), "#000000")


def test_an_image_is_refused_where_the_slot_wants_a_clip(creator, tmp_path):
    template = TemplateFactory(
        scene_spec={"slots": [{"key": "clip", "kind": "clip"}], "scenes": [{"duration": 1, "background": "#000000"}]}
    )
    image = make_png(tmp_path / "still.png")
    with pytest.raises(DomainError) as error:
        video_create_from_template(
            user=creator, team=None, template=template, title="x", slot_uploads={"clip": upload_of(image, "image/png")}
        )
    assert error.value.field == "slot_clip" and "clip" in str(error.value.message)


def test_a_video_deleted_while_it_renders_leaves_no_files_behind(
    creator, template, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    from videos.services import versions as versions_module
    from videos.services import video_delete

    with django_capture_on_commit_callbacks(execute=False):
        video = video_create_from_template(user=creator, team=None, template=template, title="gone")
    version_id = video.versions.get().pk
    real_render = versions_module.render_spec

    def render_then_the_owner_deletes_the_video(*args, **kwargs):
        result = real_render(*args, **kwargs)
        with django_capture_on_commit_callbacks(execute=True):
            video_delete(video=video, actor=creator)
        return result

    monkeypatch.setattr(versions_module, "render_spec", render_then_the_owner_deletes_the_video)
    with django_capture_on_commit_callbacks(execute=True):
        assert version_render(version_id=version_id) is False

    assert not Video.objects.exists() and not VideoVersion.objects.exists()
    assert stored_files(media_root) == []


def test_the_renderer_reports_its_progress_as_it_goes(tmp_path):
    spec = resolve_render_spec(
        spec={"scenes": [{"duration": 1, "background": "#101010"}, {"duration": 3, "background": "#202020"}]},
        duration=4,
        customization={},
    )
    reported: list[int] = []
    render_spec(spec, aspect_ratio="9:16", work_dir=tmp_path, on_progress=reported.append)
    assert reported and reported == sorted(reported) and reported[-1] >= 50


def test_a_colour_with_a_trailing_newline_is_refused_with_a_clear_error(creator, template):
    from videos.render.spec import SpecError, validate_scene_spec

    with pytest.raises(SpecError) as error:
        validate_scene_spec({"scenes": [{"duration": 2, "background": "#ffffff\n"}]})
    assert "background must be a colour like #1e1b4b" in " ".join(error.value.messages)
    with pytest.raises(DomainError) as refused:
        video_create_from_template(
            user=creator, team=None, template=template, title="x", customization={"text_color": "#ffffff\n"}
        )
    assert "The text colour must be a colour like #ffffff." in str(refused.value.message)
    assert not Video.objects.exists()


def test_a_template_with_a_broken_spec_cannot_be_saved():
    with pytest.raises(ValidationError):
        TemplateFactory(scene_spec={"scenes": []})
    assert not Template.objects.filter(scene_spec={"scenes": []}).exists()


def test_the_sweeper_requeues_lost_renders_and_fails_abandoned_ones(
    creator, template, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        lost = video_create_from_template(user=creator, team=None, template=template, title="lost")
        stuck = video_create_from_template(user=creator, team=None, template=template, title="stuck")
    long_ago = timezone.now() - timezone.timedelta(hours=3)
    VideoVersion.objects.filter(video=lost).update(created_at=long_ago)
    VideoVersion.objects.filter(video=stuck).update(status=VideoVersion.Status.RENDERING, started_at=long_ago)

    assert versions_sweep_stalled() == {"requeued": 1, "reclaimed": 0, "failed": 1}

    assert lost.versions.get().status == VideoVersion.Status.READY  # rendered by the (eager) worker
    stuck.refresh_from_db()
    assert stuck.versions.get().status == VideoVersion.Status.FAILED and stuck.status == Video.Status.FAILED
    assert "/" not in stuck.versions.get().error_message.split("(")[-1]


def test_the_sweeper_sends_a_crashed_render_again_once_its_claim_is_stale(
    creator, template, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        crashed = video_create_from_template(user=creator, team=None, template=template, title="crashed")
    # The worker claimed the version and died; the redelivered task cannot claim it yet.
    just_claimed = timezone.now() - timezone.timedelta(seconds=60)
    VideoVersion.objects.filter(video=crashed).update(status=VideoVersion.Status.RENDERING, started_at=just_claimed)
    assert version_render(version_id=crashed.versions.get().pk) is False
    assert versions_sweep_stalled() == {"requeued": 0, "reclaimed": 0, "failed": 0}

    # Once the claim is older than the stale time (but not twice), the sweeper sends it again.
    stale_claim = timezone.now() - timezone.timedelta(seconds=settings.VIDEO_RENDER_STALE_AFTER_SECONDS + 60)
    VideoVersion.objects.filter(video=crashed).update(started_at=stale_claim)
    assert versions_sweep_stalled() == {"requeued": 0, "reclaimed": 1, "failed": 0}

    crashed.refresh_from_db()
    assert crashed.versions.get().status == VideoVersion.Status.READY and crashed.status == Video.Status.READY


def test_latin_text_uses_dejavu_and_cjk_text_a_cjk_font_when_one_is_installed():
    from videos.render.text import CJK_FONTS, LATIN_FONT, font_for

    assert font_for("Ünïcödé café") == LATIN_FONT
    installed = [path for path in CJK_FONTS if Path(path).exists()]
    assert font_for("新しい動画") == (installed[0] if installed else LATIN_FONT)


def test_japanese_text_is_drawn_with_real_glyphs(creator, tmp_path, django_capture_on_commit_callbacks):
    from videos.render.text import CJK_FONTS

    if not any(Path(path).exists() for path in CJK_FONTS):
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-zenhei); `make test` installs it")
    template = Template.objects.get(slug="youtube-short-quote-animation")
    video = create(
        creator,
        template,
        django_capture_on_commit_callbacks,
        customization={"duration": 5, "texts": ["好奇心を持ち続けよう"], "backgrounds": ["#1e1b4b"]},
    )
    assert video.status == Video.Status.READY
    frame = frame_rgb(local_copy(video.file.name, tmp_path), at=1.0)
    white = sum(1 for y in range(60, 224) for x in range(160) if close(pixel(frame, x, y), "#ffffff", 60))
    assert white > 20  # the glyphs are drawn (with the CJK font, see the test above)
