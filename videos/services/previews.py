"""The live preview while a creator edits: one still frame per scene, cached by the hash of its inputs.

A frame depends only on the resolved scene (texts, colours, size, media), the template's aspect
ratio, the logo and the renderer's revision, so its cache key is the hash of exactly those: a scene
the creator did not touch is answered from the cache, whoever asked first. Only frames that have to
be drawn count against the `previews` rate.
"""

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.cache import cache

from config.errors import LimitReached, NotFound
from config.throttling import person_rate_count
from teams.models import Team, User
from videos.models import Template, Video
from videos.render.preview import preview_size, render_scene_preview
from videos.selectors import account_for, template_is_locked
from videos.services.branding_render import branding_chosen, branding_default_for_workspace, download_for_render
from videos.services.videos import resolve_customization

# Bump when the renderer draws a scene differently, so that no cached frame of the old look is shown.
RENDERER_REVISION = 1
CACHE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class ScenePreview:
    scene: int
    jpeg: bytes
    width: int
    height: int
    cached: bool


def preview_key(*, scene: dict[str, Any], aspect_ratio: str, overlay: dict[str, Any] | None) -> str:
    """The cache key of a scene's frame: a hash of everything that decides its pixels."""
    inputs = {
        "revision": RENDERER_REVISION,
        "scene": scene,
        "size": preview_size(aspect_ratio),
        # The profile id is not a pixel: two profiles with the same logo and settings look the same.
        "logo": {key: value for key, value in overlay.items() if key != "profile_id"} if overlay else None,
    }
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()).hexdigest()
    return f"videos:preview:{digest}"


def preview_scene(
    *,
    user: User,
    template: Template,
    customization: dict[str, Any],
    scene: int,
    video: Video | None = None,
    team: Team | None = None,
) -> ScenePreview:
    """The frame of scene `scene` (0-based) as the render would draw it with `customization`.

    For a new video of `template` in the workspace (`user`, `team`), or for `video` (then its media
    and its workspace are used; the caller checked that `user` may edit it). DomainError for a
    customization the render would refuse, NotFound for a scene the template does not have,
    RateLimited when the person has drawn too many frames lately.
    """
    owner, team = (video.owner, video.team) if video is not None else (user, team)
    if video is None and template_is_locked(account=account_for(user=user, team=team), template=template):
        raise LimitReached()
    slot_files = (
        {asset.slot: {"name": asset.file.name, "kind": asset.kind} for asset in video.media_assets.all()}
        if video is not None
        else None
    )
    spec = resolve_customization(template=template, customization=customization, slot_files=slot_files)
    if not 0 <= scene < len(spec["scenes"]):
        raise NotFound()
    if "branding_profile" in customization:
        overlay = branding_chosen(user=user, owner=owner, team=team, profile_id=customization["branding_profile"])
    else:
        overlay = branding_default_for_workspace(owner=owner, team=team)
    chosen = spec["scenes"][scene]
    key = preview_key(scene=chosen, aspect_ratio=template.aspect_ratio, overlay=overlay)
    width, height = preview_size(template.aspect_ratio)
    jpeg = cache.get(key)
    if jpeg is not None:
        return ScenePreview(scene=scene, jpeg=jpeg, width=width, height=height, cached=True)
    # Only frames that have to be drawn count against the `previews` rate.
    person_rate_count(scope="previews", person_id=user.pk)
    with tempfile.TemporaryDirectory(prefix="preview-") as tmp:
        work = Path(tmp)
        media = {}
        name = (chosen.get("media") or {}).get("name")
        if name:
            media[name] = str(download_for_render(name, work / f"media{Path(name).suffix}"))
        logo = None
        if overlay is not None:
            logo = (download_for_render(overlay["logo"], work / f"logo{Path(overlay['logo']).suffix}"), overlay)
        jpeg = render_scene_preview(
            spec, scene=scene, aspect_ratio=template.aspect_ratio, work_dir=work, media=media, logo=logo
        ).read_bytes()
    cache.set(key, jpeg, CACHE_SECONDS)
    return ScenePreview(scene=scene, jpeg=jpeg, width=width, height=height, cached=False)
