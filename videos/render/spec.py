"""The scene spec: a template's JSON recipe, its validation, and the user's customisation merged in.

A spec looks like::

    {"audio": {"kind": "tone", "frequency": 220},
     "slots": [{"key": "product", "kind": "image", "label": "Product photo"}],
     "scenes": [{"duration": 5, "background": "#1e1b4b", "text": "Meet Nova", "text_color": "#ffffff",
                 "font_size": 0.08, "position": "center", "transition": "fade", "slot": "product"}]}

`duration` is in seconds; `font_size` is a fraction of the frame width; `transition` is how the scene
enters from the previous one (ignored on the first scene).
"""

import re
from typing import Any

from django.utils.translation import gettext as _

COLOUR_RE = re.compile(r"#[0-9a-fA-F]{6}")  # always used with fullmatch: "$" would allow a final newline
TRANSITIONS = ("cut", "fade", "dissolve", "wipeleft", "wiperight", "slideleft", "slideup", "circleopen", "radial")
POSITIONS = ("center", "top", "bottom")
SLOT_KINDS = ("image", "clip", "any")
AUDIO_KINDS = ("silent", "tone")
MAX_SCENES = 30
# Each slot is a file field of the template's form: DATA_UPLOAD_MAX_NUMBER_FILES leaves room for them all.
MAX_SLOTS = 8
MAX_TEXT_LENGTH = 300
TRANSITION_SECONDS = 0.5


class SpecError(ValueError):
    """The spec (or a customisation of it) is invalid; `messages` says every problem found."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("; ".join(messages))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def validate_scene_spec(spec: Any) -> None:
    """Raise SpecError listing every problem in a template's scene spec."""
    if not isinstance(spec, dict):
        raise SpecError([_("The scene spec must be a JSON object.")])
    errors: list[str] = []
    scenes = spec.get("scenes")
    if not isinstance(scenes, list) or not scenes:
        errors.append(_("The scene spec needs a non-empty list of scenes."))
        scenes = []
    elif len(scenes) > MAX_SCENES:
        errors.append(_("A template can have at most %(max)d scenes.") % {"max": MAX_SCENES})
    slots = spec.get("slots", [])
    slot_keys: set[str] = set()
    if not isinstance(slots, list):
        errors.append(_("Slots must be a list."))
        slots = []
    elif len(slots) > MAX_SLOTS:
        errors.append(_("A template can have at most %(max)d media slots.") % {"max": MAX_SLOTS})
    for index, slot in enumerate(slots, start=1):
        if not isinstance(slot, dict) or not isinstance(slot.get("key"), str) or not slot.get("key"):
            errors.append(_("Slot %(n)d needs a key.") % {"n": index})
            continue
        if slot.get("kind", "any") not in SLOT_KINDS:
            errors.append(
                _("Slot %(n)d: the kind must be one of %(kinds)s.") % {"n": index, "kinds": ", ".join(SLOT_KINDS)}
            )
        slot_keys.add(slot["key"])
    audio = spec.get("audio", {"kind": "silent"})
    if not isinstance(audio, dict) or audio.get("kind", "silent") not in AUDIO_KINDS:
        errors.append(_("The audio kind must be one of %(kinds)s.") % {"kinds": ", ".join(AUDIO_KINDS)})
    elif "frequency" in audio and not (_is_number(audio["frequency"]) and 20 <= audio["frequency"] <= 2000):
        errors.append(_("The audio frequency must be between 20 and 2000 Hz."))
    for index, scene in enumerate(scenes, start=1):
        errors.extend(_scene_errors(index, scene, slot_keys))
    if errors:
        raise SpecError(errors)


def _scene_errors(index: int, scene: Any, slot_keys: set[str]) -> list[str]:
    if not isinstance(scene, dict):
        return [_("Scene %(n)d must be an object.") % {"n": index}]
    errors = []
    prefix = _("Scene %(n)d") % {"n": index}
    duration = scene.get("duration")
    if not _is_number(duration) or not 0.5 <= duration <= 600:
        errors.append(_("%(scene)s: the duration must be a number of seconds between 0.5 and 600.") % {"scene": prefix})
    for key in ("background", "text_color"):
        if key in scene and not (isinstance(scene[key], str) and COLOUR_RE.fullmatch(scene[key])):
            errors.append(_("%(scene)s: %(key)s must be a colour like #1e1b4b.") % {"scene": prefix, "key": key})
    if "background" not in scene:
        errors.append(_("%(scene)s: a background colour is required.") % {"scene": prefix})
    if not isinstance(scene.get("text", ""), str) or len(scene.get("text", "")) > MAX_TEXT_LENGTH:
        errors.append(
            _("%(scene)s: the text must be at most %(max)d characters.") % {"scene": prefix, "max": MAX_TEXT_LENGTH}
        )
    if "font_size" in scene and not (_is_number(scene["font_size"]) and 0.02 <= scene["font_size"] <= 0.3):
        errors.append(_("%(scene)s: the font size must be between 0.02 and 0.3 of the width.") % {"scene": prefix})
    if scene.get("position", "center") not in POSITIONS:
        errors.append(
            _("%(scene)s: the position must be one of %(values)s.") % {"scene": prefix, "values": ", ".join(POSITIONS)}
        )
    if scene.get("transition", "cut") not in TRANSITIONS:
        errors.append(
            _("%(scene)s: the transition must be one of %(values)s.")
            % {"scene": prefix, "values": ", ".join(TRANSITIONS)}
        )
    if "slot" in scene and scene["slot"] not in slot_keys:
        errors.append(
            _("%(scene)s: the media slot %(slot)s is not declared.") % {"scene": prefix, "slot": scene["slot"]}
        )
    return errors


def resolve_render_spec(
    *,
    spec: dict[str, Any],
    duration: float,
    customization: dict[str, Any],
    slot_files: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """The template's spec with the user's texts, colours, duration and media merged in, ready to render.

    Scene durations are scaled so that they add up to `duration`; the result is stored on the
    version so that re-running a render produces the same video.
    """
    validate_scene_spec(spec)
    scenes = [dict(scene) for scene in spec["scenes"]]
    texts = customization.get("texts") or []
    backgrounds = customization.get("backgrounds") or []
    text_color = customization.get("text_color") or ""
    errors: list[str] = []
    for index, scene in enumerate(scenes):
        if index < len(texts) and texts[index] not in (None, ""):
            text = str(texts[index])
            if len(text) > MAX_TEXT_LENGTH:
                errors.append(
                    _("Scene %(n)d: the text must be at most %(max)d characters.")
                    % {"n": index + 1, "max": MAX_TEXT_LENGTH}
                )
            scene["text"] = text
        if index < len(backgrounds) and backgrounds[index]:
            if not COLOUR_RE.fullmatch(str(backgrounds[index])):
                errors.append(_("Scene %(n)d: the background must be a colour like #1e1b4b.") % {"n": index + 1})
            scene["background"] = str(backgrounds[index])
        if text_color:
            if not COLOUR_RE.fullmatch(str(text_color)):
                errors.append(_("The text colour must be a colour like #ffffff."))
            scene["text_color"] = str(text_color)
        scene.setdefault("text", "")
        scene.setdefault("text_color", "#ffffff")
        scene.setdefault("font_size", 0.07)
        scene.setdefault("position", "center")
        scene["transition"] = "cut" if index == 0 else scene.get("transition", "cut")
    if errors:
        raise SpecError(sorted(set(errors), key=errors.index))
    total = sum(scene["duration"] for scene in scenes)
    factor = duration / total
    for scene in scenes:
        scene["duration"] = round(scene["duration"] * factor, 3)
    # Rounding must not change the total: the last scene absorbs the difference.
    scenes[-1]["duration"] = round(duration - sum(scene["duration"] for scene in scenes[:-1]), 3)
    files = slot_files or {}
    for scene in scenes:
        slot = scene.pop("slot", None)
        if slot and slot in files:
            scene["media"] = files[slot]
    audio = dict(spec.get("audio") or {"kind": "silent"})
    return {"scenes": scenes, "audio": audio, "duration": duration}
