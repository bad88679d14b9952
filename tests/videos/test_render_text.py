"""Text in every script, drawn by a shaping engine: read back from real rendered frames."""

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont, features

from tests.videos.media_tools import close, ffprobe_json, frame_rgb, make_clip, make_png, pixel
from videos.render import text
from videos.render.ffmpeg import quality_long_side, render_spec
from videos.render.spec import resolve_render_spec

HINDI = "हिन्दी में स्वागत"  # a vowel sign drawn before its consonant, and two conjuncts


def render_one_scene(tmp_path: Path, words: str, *, long_side: int = 640, **scene) -> Path:
    spec = resolve_render_spec(
        spec={"scenes": [{"duration": 1.5, "background": "#000000", "text": words, "font_size": 0.08, **scene}]},
        duration=1.5,
        customization={},
    )
    return render_spec(spec, aspect_ratio="16:9", work_dir=tmp_path, long_side=long_side, fps=10).video_path


def ink(image: Image.Image) -> Image.Image:
    """The bright pixels of a greyscale image, cropped to where they are."""
    mask = image.point(lambda value: 255 if value > 128 else 0)
    return mask.crop(mask.getbbox())


def drawn_by_pillow(words: str, *, font_path: str, size: int, engine: ImageFont.Layout) -> Image.Image:
    font = ImageFont.truetype(font_path, size, layout_engine=engine)
    canvas = Image.new("L", (size * len(words), size * 3))
    ImageDraw.Draw(canvas).text((size, size), words, font=font, fill=255)
    return ink(canvas)


def overlap(a: Image.Image, b: Image.Image) -> float:
    """Intersection over union of two ink masks laid on each other by their top-left corners."""
    size = (max(a.width, b.width), max(a.height, b.height))
    first, second = Image.new("L", size), Image.new("L", size)
    first.paste(a)
    second.paste(b)
    pairs = list(zip(first.tobytes(), second.tobytes(), strict=True))
    return sum(1 for x, y in pairs if x and y) / sum(1 for x, y in pairs if x or y)


def test_pillow_has_its_shaping_engine():
    # Without FriBiDi (Debian: libfribidi0) Pillow would quietly set glyphs one after another.
    assert features.check("raqm") and features.check("fribidi") and features.check("harfbuzz")


def test_a_hindi_title_is_drawn_as_the_shaping_engine_shapes_it(tmp_path):
    fonts = [path for path in text.DEVANAGARI_FONTS if Path(path).exists()]
    if not fonts:
        pytest.skip("no Devanagari font installed (apt-get install fonts-noto-core); `make test` installs it")
    assert text.font_for(HINDI) == fonts[0]
    width, height, raw = frame_rgb(render_one_scene(tmp_path, HINDI), at=1.0)
    in_the_video = ink(Image.frombytes("RGB", (width, height), raw).convert("L"))

    size = int(640 * 0.08)
    shaped = drawn_by_pillow(HINDI, font_path=fonts[0], size=size, engine=ImageFont.Layout.RAQM)
    unshaped = drawn_by_pillow(HINDI, font_path=fonts[0], size=size, engine=ImageFont.Layout.BASIC)

    assert overlap(shaped, unshaped) < 0.6  # shaping moves and joins glyphs: the two runs differ
    assert overlap(in_the_video, shaped) > 0.85  # what the video shows is the shaped run ...
    assert overlap(in_the_video, unshaped) < 0.6  # ... not glyphs set one after another


def test_chinese_and_arabic_text_is_drawn_with_real_glyphs(tmp_path):
    if not any(Path(path).exists() for path in text.CJK_FONTS):
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-zenhei); `make test` installs it")
    for index, words in enumerate(("你好世界", "مرحبا بالعالم")):
        folder = tmp_path / str(index)
        folder.mkdir()
        frame = frame_rgb(render_one_scene(folder, words, long_side=320), at=1.0)
        lit = sum(1 for y in range(60, 120) for x in range(320) if close(pixel(frame, x, y), "#ffffff", 60))
        assert lit > 100, words
        assert all(text.has_glyph(path, char) for path, part in text.runs(words) for char in part if char.strip())


def test_mixed_scripts_are_cut_into_runs_each_drawn_by_a_font_that_has_their_glyphs():
    if not any(Path(path).exists() for path in text.DEVANAGARI_FONTS):
        pytest.skip("no Devanagari font installed")
    parts = text.runs("Namaste नमस्ते friends")
    assert [part for _path, part in parts] == ["Namaste ", "नमस्ते ", "friends"]
    assert parts[0][0] == parts[2][0] == text.LATIN_FONT and parts[1][0] != text.LATIN_FONT
    assert all(text.has_glyph(path, char) for path, part in parts for char in part if char.strip())


def test_the_text_fades_in_at_the_start_of_its_scene_and_then_stays(tmp_path):
    video = render_one_scene(tmp_path, "Hello", long_side=320, position="top")

    def lit(at: float) -> int:
        frame = frame_rgb(video, at=at)
        return sum(1 for y in range(0, 90) for x in range(320) if close(pixel(frame, x, y), "#ffffff", 60))

    settled = lit(0.8)
    assert lit(0.0) == 0 and settled > 100 and abs(lit(1.4) - settled) <= 5


def test_a_draft_is_720_pixels_on_its_long_side_and_a_final_render_uses_the_setting(tmp_path, settings):
    settings.VIDEO_RENDER_LONG_SIDE = 1920
    assert quality_long_side("final") == 1920 and quality_long_side("draft") == 720
    spec = resolve_render_spec(
        spec={"scenes": [{"duration": 0.5, "background": "#000000", "text": "Draft"}]}, duration=0.5, customization={}
    )
    result = render_spec(spec, aspect_ratio="9:16", work_dir=tmp_path, quality="draft", fps=10)
    stream = ffprobe_json(result.video_path)["streams"][0]
    assert (stream["width"], stream["height"]) == (result.width, result.height) and result.height == 720
    with pytest.raises(ValueError):
        quality_long_side("huge")


def test_text_is_drawn_over_a_moving_clip(tmp_path):
    clip = make_clip(tmp_path / "green.mp4", seconds=0.5, size="64x64", colour="lime")
    spec = resolve_render_spec(
        spec={
            "slots": [{"key": "clip", "kind": "clip"}],
            "scenes": [{"duration": 1.5, "background": "#000000", "text": "Over", "slot": "clip", "font_size": 0.1}],
        },
        duration=1.5,
        customization={},
        slot_files={"clip": {"name": "clip.mp4", "kind": "clip"}},
    )
    work = tmp_path / "render"
    work.mkdir()
    video = render_spec(spec, aspect_ratio="1:1", work_dir=work, long_side=160, fps=10, media={"clip.mp4": str(clip)})
    frame = frame_rgb(video.video_path, at=1.2)  # the short clip has looped (80 px square, centred)
    assert close(pixel(frame, 50, 46), "#00ff00", 60) and close(pixel(frame, 3, 3), "#000000")
    assert sum(1 for y in range(60, 100) for x in range(160) if close(pixel(frame, x, y), "#ffffff", 60)) > 30


def test_one_picture_shown_in_two_scenes_is_read_once_and_shown_in_both(tmp_path):
    picture = make_png(tmp_path / "yellow.png", colour="yellow", size="64x64")
    scene = {"duration": 1, "background": "#000000", "slot": "picture"}
    spec = resolve_render_spec(
        spec={"slots": [{"key": "picture", "kind": "image"}], "scenes": [scene, {**scene, "transition": "fade"}]},
        duration=2,
        customization={},
        slot_files={"picture": {"name": "picture.png", "kind": "image"}},
    )
    work = tmp_path / "render"
    work.mkdir()
    result = render_spec(spec, aspect_ratio="1:1", work_dir=work, long_side=160, fps=10, media={"picture.png": picture})
    for at in (0.3, 1.8):
        assert close(pixel(frame_rgb(result.video_path, at=at), 80, 80), "#ffff00", 60)
