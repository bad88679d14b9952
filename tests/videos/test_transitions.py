"""Transitions: the frames between two scenes go from the first to the second in the way each names."""

import pytest
from django.conf import settings

from tests.videos.media_tools import frame_rgb, near, pixel
from videos.render.ffmpeg import render_spec
from videos.render.spec import resolve_render_spec

RED, BLUE = (255, 0, 0), (0, 0, 255)


def two_scenes(tmp_path, transition: str):
    """Red for 2 s, then blue for 2 s, entering by `transition` (5 frames at the test's 10 fps)."""
    spec = resolve_render_spec(
        spec={
            "scenes": [
                {"duration": 2, "background": "#ff0000", "text": ""},
                {"duration": 2, "background": "#0000ff", "text": "", "transition": transition},
            ]
        },
        duration=4,
        customization={},
    )
    result = render_spec(spec, aspect_ratio="9:16", work_dir=tmp_path)
    assert settings.VIDEO_RENDER_FPS == 10
    return result.video_path


def share(frame, colour) -> float:
    width, height, _raw = frame
    points = [(x, y) for x in range(0, width, 4) for y in range(0, height, 4)]
    return sum(near(pixel(frame, x, y), colour, 60) for x, y in points) / len(points)


@pytest.mark.parametrize("transition", ["fade", "dissolve", "radial", "circleopen", "wipeleft", "slideup"])
def test_a_transition_starts_on_the_first_scene_and_ends_on_the_second(tmp_path, transition):
    video = two_scenes(tmp_path, transition)
    # Frames 20-24 are the transition (the first scene runs on under it).
    assert share(frame_rgb(video, at=1.9), RED) > 0.99
    assert share(frame_rgb(video, at=2.6), BLUE) > 0.99
    middle = frame_rgb(video, at=2.2)
    assert share(middle, RED) < 0.9 and share(middle, BLUE) < 0.9


def test_a_fade_blends_every_pixel(tmp_path):
    middle = frame_rgb(two_scenes(tmp_path, "fade"), at=2.2)
    # Half-way, every pixel is a mix of red and blue: neither colour is left anywhere.
    assert share(middle, RED) == 0 and share(middle, BLUE) == 0
    red, _green, blue = pixel(middle, 80, 140)
    assert 60 < red < 200 and 60 < blue < 200


def test_a_dissolve_swaps_pixels_in_a_random_order(tmp_path):
    video = two_scenes(tmp_path, "dissolve")
    shares = [share(frame_rgb(video, at=2.0 + 0.1 * n + 0.05), BLUE) for n in range(5)]
    # Each frame shows more of the second scene, speck by speck: some of each colour, no blend.
    assert shares == sorted(shares) and shares[0] < 0.35 and shares[-1] > 0.65
    middle = frame_rgb(video, at=2.25)
    assert share(middle, RED) + share(middle, BLUE) > 0.8
    assert 0.3 < share(middle, BLUE) < 0.7


def test_a_radial_sweeps_clockwise_from_twelve(tmp_path):
    middle = frame_rgb(two_scenes(tmp_path, "radial"), at=2.25)
    width, height, _raw = middle
    # Half-way round: the right half shows the next scene, the left half the last one.
    assert near(pixel(middle, width * 3 // 4, height // 2), BLUE, 60)
    assert near(pixel(middle, width // 4, height // 2), RED, 60)


def test_a_circle_opens_from_the_centre(tmp_path):
    middle = frame_rgb(two_scenes(tmp_path, "circleopen"), at=2.25)
    width, height, _raw = middle
    assert near(pixel(middle, width // 2, height // 2), BLUE, 60)
    assert near(pixel(middle, 2, 2), RED, 60)


def test_the_same_transition_twice_in_one_video(tmp_path):
    spec = resolve_render_spec(
        spec={
            "scenes": [
                {"duration": 1, "background": "#ff0000", "text": ""},
                {"duration": 1, "background": "#0000ff", "text": "", "transition": "dissolve"},
                {"duration": 1, "background": "#ff0000", "text": "", "transition": "dissolve"},
            ]
        },
        duration=3,
        customization={},
    )
    result = render_spec(spec, aspect_ratio="9:16", work_dir=tmp_path)
    assert share(frame_rgb(result.video_path, at=1.6), BLUE) > 0.99
    assert share(frame_rgb(result.video_path, at=2.8), RED) > 0.99
