"""A scene's text drawn once, by a shaping engine, into a transparent PNG that ffmpeg overlays.

ffmpeg's drawtext places one glyph after another: Devanagari conjuncts and vowel signs come out
broken and Arabic letters unjoined. Pillow with Raqm (HarfBuzz for shaping, FriBiDi for direction)
shapes each run of text the way the script needs. A font draws only its own scripts, so the text is
cut into runs by the first installed font that has their glyphs: DejaVu for Latin, Greek and
Cyrillic, Noto (or Lohit) for Devanagari, Noto for Arabic, a CJK font for Chinese, Japanese and
Korean. Drawing once per scene also spares ffmpeg rasterising the text on every frame.
"""

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
# Debian: fonts-noto-core (Noto) or fonts-lohit-deva (Lohit, regular weight only).
DEVANAGARI_FONTS = (
    "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Bold.ttf",
    "/usr/share/fonts/truetype/lohit-devanagari/Lohit-Devanagari.ttf",
)
ARABIC_FONTS = ("/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf",)
# Debian: fonts-noto-cjk or fonts-wqy-zenhei.
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
CJK_RE = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]")
DEVANAGARI_RE = re.compile(r"[\u0900-\u097f\ua8e0-\ua8ff\u1cd0-\u1cff]")
ARABIC_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
RTL_RE = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
# Joiners, marks and spaces belong to the run they sit in (a ZWJ inside a conjunct must stay there).
NEUTRAL_RE = re.compile(r"[\s\u200c\u200d\u0300-\u036f]")
LINE_SPACING = 0.25  # of the font size, between lines
MAX_WIDTH = 0.85  # of the frame width


@dataclass(frozen=True)
class TextLayer:
    """A PNG of the text (white-space trimmed to its layout box) and where its top-left corner goes."""

    path: Path
    x: int
    y: int
    width: int
    height: int


def _installed(paths: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(path for path in paths if os.path.exists(path))


def font_candidates(char: str) -> tuple[str, ...]:
    """The installed fonts to try for `char`, best first; DejaVu last as the fallback of every script."""
    if DEVANAGARI_RE.match(char):
        preferred = DEVANAGARI_FONTS
    elif ARABIC_RE.match(char):
        preferred = ARABIC_FONTS
    elif CJK_RE.match(char):
        preferred = CJK_FONTS
    else:
        # Other scripts: DejaVu first, then whichever font happens to have the glyph.
        return (LATIN_FONT, *_installed(CJK_FONTS + DEVANAGARI_FONTS + ARABIC_FONTS))
    return (*_installed(preferred), LATIN_FONT)


def font_for(text: str) -> str:
    """The font that draws the first character of `text` that needs one (DejaVu for plain Latin)."""
    for char in text:
        if not NEUTRAL_RE.match(char):
            return next((path for path in font_candidates(char) if has_glyph(path, char)), LATIN_FONT)
    return LATIN_FONT


@cache
def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.RAQM)


@cache
def _notdef(path: str) -> bytes:
    return _glyph_pixels(path, "\U0010fffd")  # a private-use code point: no font has it


def _glyph_pixels(path: str, char: str) -> bytes:
    image = Image.new("L", (48, 48))
    ImageDraw.Draw(image).text((8, 4), char, font=font(path, 32), fill=255)
    return image.tobytes()


@cache
def has_glyph(path: str, char: str) -> bool:
    """Whether the font at `path` draws `char` as something other than its missing-glyph box."""
    return _glyph_pixels(path, char) != _notdef(path)


def runs(text: str) -> list[tuple[str, str]]:
    """`text` cut into (font path, text) runs, each drawn by one font that has its glyphs."""
    result: list[tuple[str, str]] = []
    for char in text:
        if result and (NEUTRAL_RE.match(char) or has_glyph(result[-1][0], char)):
            result[-1] = (result[-1][0], result[-1][1] + char)
            continue
        path = font_for(char) if not NEUTRAL_RE.match(char) else LATIN_FONT
        result.append((path, char))
    return result


def line_width(line: str, size: int) -> float:
    return sum(font(path, size).getlength(part) for path, part in runs(line))


def wrap(text: str, *, max_width: float, size: int) -> list[str]:
    """Lines of `text` no wider than `max_width` pixels: broken at spaces, or between any two CJK
    characters (which have no spaces); a single word wider than that keeps its own line."""
    tokens = re.findall(rf"{CJK_RE.pattern}|[^\s{CJK_RE.pattern[1:-1]}]+", text)
    lines: list[str] = []
    for token in tokens:
        if lines:
            joiner = "" if CJK_RE.match(token) or CJK_RE.match(lines[-1][-1]) else " "
            candidate = lines[-1] + joiner + token
            if line_width(candidate, size) <= max_width:
                lines[-1] = candidate
                continue
        lines.append(token)
    return lines


def _ordered(line: str) -> list[tuple[str, str]]:
    # Raqm orders the letters inside each run; the runs of a right-to-left line go right to left.
    parts = runs(line)
    first_strong = next((char for char in line if not NEUTRAL_RE.match(char)), "")
    return parts[::-1] if RTL_RE.match(first_strong) else parts


def render_text_layer(
    text: str, *, colour: str, frame: tuple[int, int], font_size: float, position: str, path: Path
) -> TextLayer | None:
    """Draw `text` centred, wrapped to the frame, into a transparent PNG at `path`; None for no text.

    `font_size` is a fraction of the frame width; `position` is center, top or bottom (as the
    scene spec says). The text colour is opaque; the renderer fades the whole layer in.
    """
    width, height = frame
    size = max(8, int(width * font_size))
    lines = wrap(text.strip(), max_width=width * MAX_WIDTH, size=size)
    if not lines:
        return None
    fonts_used = {p for line in lines for p, _part in runs(line)} or {LATIN_FONT}
    ascent = max(font(p, size).getmetrics()[0] for p in fonts_used)
    descent = max(font(p, size).getmetrics()[1] for p in fonts_used)
    step = ascent + descent + int(size * LINE_SPACING)
    widths = [line_width(line, size) for line in lines]
    layer_w = min(width, int(max(widths)) + 2)
    layer_h = step * (len(lines) - 1) + ascent + descent
    mask = Image.new("L", (layer_w, layer_h))
    draw = ImageDraw.Draw(mask)
    for number, line in enumerate(lines):
        x = (layer_w - widths[number]) / 2
        baseline = number * step + ascent
        for font_path, part in _ordered(line):
            shaped = font(font_path, size)
            draw.text((x, baseline), part, font=shaped, fill=255, anchor="ls")
            x += shaped.getlength(part)
    # Placed by its ink, as ffmpeg's drawtext placed text: from the top of the tallest glyph to
    # the bottom of the lowest one.
    ink = mask.getbbox() or (0, 0, layer_w, layer_h)
    mask = mask.crop((0, ink[1], layer_w, ink[3]))
    layer = Image.new("RGBA", mask.size, "#" + colour.lstrip("#"))
    layer.putalpha(mask)
    layer.save(path)
    ink_h = mask.height
    top = {"top": int(height * 0.1), "bottom": int(height * 0.88) - ink_h}.get(position, (height - ink_h) // 2)
    return TextLayer(path=path, x=(width - layer_w) // 2, y=max(0, top), width=layer_w, height=ink_h)
