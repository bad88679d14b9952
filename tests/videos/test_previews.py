"""The live preview: each scene's frame is what the render shows, cached by its inputs, drawn on demand."""

import base64
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.urls import reverse

from billing.models import Plan
from config.errors import NotFound, RateLimited
from tests.videos.factories import TemplateFactory
from tests.videos.media_tools import frame_rgb, make_logo, make_png, near, pixel, upload_of
from videos.models import Video
from videos.render.preview import preview_size
from videos.services import branding_profile_create, video_create_from_template
from videos.services.previews import preview_key, preview_scene
from videos.services.videos import resolve_customization

pytestmark = pytest.mark.django_db

# Three static scenes of 2 s each (at the test frame rate of 10 fps), joined by fades.
SPEC = {
    "audio": {"kind": "silent"},
    "slots": [{"key": "picture", "kind": "image", "label": "Picture"}],
    "scenes": [
        {"duration": 2, "background": "#ff0000", "text": "Hello", "transition": "cut"},
        {"duration": 2, "background": "#0000ff", "text": "World", "transition": "fade", "slot": "picture"},
        {"duration": 2, "background": "#008000", "text": "नमस्ते दुनिया", "transition": "dissolve"},
    ],
}
CUSTOM = {
    "texts": ["Big sale", "", "नमस्ते"],
    "backgrounds": ["#202060", "", ""],
    "text_color": "#ffff00",
    "duration": 6,
}


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def branding_plan(db):
    Plan.objects.filter(is_default=True).update(branding=True)


@pytest.fixture
def template(db):
    return TemplateFactory(duration_seconds=6, min_duration_seconds=3, max_duration_seconds=12, scene_spec=SPEC)


def rgb_of_jpeg(data: bytes, tmp_path: Path, name: str = "preview.jpg") -> tuple[int, int, bytes]:
    path = tmp_path / name
    path.write_bytes(data)
    return frame_rgb(path, at=0)


def differing_share(first: tuple[int, int, bytes], second: tuple[int, int, bytes], *, threshold: int = 48) -> float:
    """The share of pixels where some channel differs by more than `threshold` (compression noise stays below)."""
    assert first[:2] == second[:2]
    a, b = first[2], second[2]
    count = len(a) // 3
    differing = sum(1 for i in range(0, len(a), 3) if max(abs(a[i + k] - b[i + k]) for k in range(3)) > threshold)
    return differing / count


def render_for_real(creator, template, customization, tmp_path, capture, slot_uploads=None) -> Path:
    with capture(execute=True):
        video = video_create_from_template(
            user=creator,
            team=None,
            template=template,
            title="Real",
            customization=customization,
            slot_uploads=slot_uploads or {},
        )
    version = video.versions.get()
    assert version.status == "ready", version.error_message
    return Path(default_storage.path(version.file.name))


def test_each_scene_preview_is_the_frame_the_render_shows(
    creator, template, tmp_path, django_capture_on_commit_callbacks
):
    video_file = render_for_real(creator, template, CUSTOM, tmp_path, django_capture_on_commit_callbacks)
    previews = [
        preview_scene(user=creator, template=template, customization=CUSTOM, scene=n, team=None) for n in range(3)
    ]
    frames = [rgb_of_jpeg(p.jpeg, tmp_path, f"scene-{n}.jpg") for n, p in enumerate(previews)]
    assert frames[0][:2] == preview_size(template.aspect_ratio)
    for number in range(3):
        # The middle of each scene: its text has faded in and the transition into it is over.
        real = frame_rgb(video_file, at=number * 2 + 1.0)
        assert differing_share(frames[number], real) < 0.001, number
        # ... and it is not just any frame: every other scene's preview differs from it plainly.
        for other in set(range(3)) - {number}:
            assert differing_share(frames[other], real) > 0.5
    # The measure sees the text: the first frames of scene 1, before its text fades in, differ.
    assert differing_share(frames[0], frame_rgb(video_file, at=0.05)) > 0.003
    # The customised colours are in the pixels: scene 1's new background, the yellow text.
    assert near(pixel(frames[0], 2, 2), (0x20, 0x20, 0x60))


def test_the_preview_shows_the_media_of_the_video_being_edited(
    creator, template, tmp_path, django_capture_on_commit_callbacks
):
    picture = make_png(tmp_path / "picture.png", colour="yellow", size="64x64")
    video_file = render_for_real(
        creator,
        template,
        CUSTOM,
        tmp_path,
        django_capture_on_commit_callbacks,
        slot_uploads={"picture": upload_of(picture, "image/png")},
    )
    video = Video.objects.get(owner=creator)
    preview = preview_scene(user=creator, template=template, customization=CUSTOM, scene=1, video=video)
    frame = rgb_of_jpeg(preview.jpeg, tmp_path)
    width, height, _raw = frame
    assert near(pixel(frame, width // 2, int(height * 0.45)), (255, 255, 0))
    assert differing_share(frame, frame_rgb(video_file, at=3.0)) < 0.001


def test_the_logo_picked_is_previewed_where_the_render_puts_it(
    creator, template, branding_plan, tmp_path, django_capture_on_commit_callbacks
):
    profile = branding_profile_create(
        actor=creator,
        team=None,
        name="Red",
        logo=upload_of(make_logo(tmp_path / "logo.png"), "image/png"),
        position="top-right",
        scale=30,
        margin=8,
        opacity=100,
    )
    custom = {**CUSTOM, "branding_profile": profile.pk}
    video_file = render_for_real(creator, template, custom, tmp_path, django_capture_on_commit_callbacks)
    preview = preview_scene(user=creator, template=template, customization=custom, scene=0, team=None)
    frame = rgb_of_jpeg(preview.jpeg, tmp_path)
    width, _height, _raw = frame
    logo_centre = (width - 8 - round(width * 0.3) // 2, 8 + round(width * 0.3) // 2)
    assert near(pixel(frame, *logo_centre), (255, 0, 0))
    real = frame_rgb(video_file, at=1.0)
    assert near(pixel(real, *logo_centre), (255, 0, 0))
    assert differing_share(frame, real) < 0.001
    # "No logo" is a choice too: the preview and the render both leave the corner alone.
    bare = preview_scene(
        user=creator, template=template, customization={**CUSTOM, "branding_profile": None}, scene=0, team=None
    )
    assert not near(pixel(rgb_of_jpeg(bare.jpeg, tmp_path, "bare.jpg"), *logo_centre), (255, 0, 0))


def test_frames_are_cached_by_their_inputs_and_only_drawn_frames_are_counted(creator, template, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "previews": "2/hour"},
    }
    first = preview_scene(user=creator, template=template, customization=CUSTOM, scene=0, team=None)
    assert not first.cached
    spec = resolve_customization(template=template, customization=CUSTOM)
    assert cache.get(preview_key(scene=spec["scenes"][0], aspect_ratio="9:16", overlay=None)) == first.jpeg
    # Editing scene 2's text leaves scene 1's frame in the cache: asking again draws nothing.
    edited = {**CUSTOM, "texts": ["Big sale", "Changed", "नमस्ते"]}
    for _ in range(5):
        again = preview_scene(user=creator, template=template, customization=edited, scene=0, team=None)
        assert again.cached and again.jpeg == first.jpeg
    second = preview_scene(user=creator, template=template, customization=edited, scene=1, team=None)
    assert not second.cached
    # The rate (2 an hour here) counts drawn frames only: the five cached answers were free.
    with pytest.raises(RateLimited):
        preview_scene(user=creator, template=template, customization=edited, scene=2, team=None)


def test_the_preview_fragment_for_the_template_page(creator_client, template):
    url = reverse("videos:template_preview", args=[template.slug])
    params = {"scene": 0, "text_0": "Hi", "background_0": "#102030", "text_color": "#ffffff", "duration": 6}
    response = creator_client.get(url, params)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    body = response.content.decode()
    image = re.search(r'src="data:image/jpeg;base64,([^"]+)"', body)
    assert image and base64.b64decode(image.group(1)).startswith(b"\xff\xd8")
    assert 'alt="Preview of scene 1"' in body
    # A colour the render would refuse is said where the frame goes, not drawn.
    refused = creator_client.get(url, {**params, "background_0": "red"})
    assert refused.status_code == 200
    assert 'role="alert"' in refused.content.decode()
    assert "data:image" not in refused.content.decode()
    # A scene the template does not have.
    assert creator_client.get(url, {**params, "scene": 7}).status_code == 404


def test_the_template_page_and_edit_page_carry_one_preview_per_scene(
    creator_client, creator, template, django_capture_on_commit_callbacks
):
    page = creator_client.get(reverse("videos:template_use", args=[template.slug])).content.decode()
    assert page.count('data-testid="scene-preview"') == 3
    assert reverse("videos:template_preview", args=[template.slug]) in page
    # The files are never sent with a preview request.
    assert 'hx-params="scene,text_0' in page and "slot_picture" not in page.split('hx-params="')[1].split('"')[0]
    with django_capture_on_commit_callbacks(execute=True):
        video = video_create_from_template(
            user=creator, team=None, template=template, title="Mine", customization=CUSTOM
        )
    edit = creator_client.get(reverse("videos:edit", args=[video.pk])).content.decode()
    assert edit.count('data-testid="scene-preview"') == 3


def test_another_persons_video_cannot_be_previewed(client_for, outsider, creator, template):
    video = video_create_from_template(user=creator, team=None, template=template, title="Mine", customization=CUSTOM)
    response = client_for(outsider).get(reverse("videos:preview", args=[video.pk]), {"scene": 0, "duration": 6})
    assert response.status_code == 404


def test_a_logo_of_another_workspace_cannot_be_previewed(
    creator, outsider, template, branding_plan, tmp_path, client_for
):
    theirs = branding_profile_create(
        actor=outsider, team=None, name="Theirs", logo=upload_of(make_logo(tmp_path / "logo.png"), "image/png")
    )
    with pytest.raises(NotFound):
        preview_scene(
            user=creator,
            template=template,
            customization={**CUSTOM, "branding_profile": theirs.pk},
            scene=0,
            team=None,
        )


def test_a_pro_template_is_not_previewed_on_free(creator_client, db):
    pro = TemplateFactory(tier="pro", scene_spec=SPEC, duration_seconds=6, max_duration_seconds=12)
    response = creator_client.get(reverse("videos:template_preview", args=[pro.slug]), {"scene": 0, "duration": 6})
    assert response.status_code == 200
    assert "data:image" not in response.content.decode()
    assert 'role="alert"' in response.content.decode()
