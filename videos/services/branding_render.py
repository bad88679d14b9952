"""The renderer's side of branding: the logo on a stored version, or on a fresh render by default."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from billing import limits
from videos.media import download_from_storage
from videos.models import BrandingProfile, Video
from videos.render.branding import BrandedResult, brand_video
from videos.render.ffmpeg import RenderError, RenderResult
from videos.selectors import account_for


def brand_stored_video(
    base: str, overlay: dict[str, Any], *, work: Path, on_progress: Callable[[int], None] | None = None
) -> BrandedResult:
    """The stored video `base` with the logo of `overlay` (a profile's `overlay_settings`) on it."""
    source = _download(base, work / f"base{Path(base).suffix}")
    logo = _download(overlay["logo"], work / f"logo{Path(overlay['logo']).suffix}")
    return brand_video(source=source, logo=logo, settings_=overlay, work_dir=work, on_progress=on_progress)


def _download(name: str, target: Path) -> Path:
    try:
        return download_from_storage(name, target)
    except FileNotFoundError:
        # Retention or a replaced logo removed it while the render waited for a worker.
        raise RenderError(_("the logo or the version it was applied to has been deleted since")) from None


def branding_default_for_new_renders(*, video: Video) -> dict[str, Any] | None:
    """The overlay of the default profile set to brand every new render of the video's workspace, if
    there is one and the workspace's plan includes branding."""
    profiles = (
        BrandingProfile.objects.filter(team_id=video.team_id)
        if video.team_id
        else BrandingProfile.objects.filter(owner_id=video.owner_id, team__isnull=True)
    )
    profile = profiles.filter(is_default=True, apply_to_new_renders=True).first()
    if profile is None or not limits.allows(account_for(user=video.owner, team=video.team), limits.Limit.BRANDING):
        return None
    return profile.overlay_settings()


def brand_new_render(*, video: Video, result: RenderResult, work: Path) -> RenderResult | BrandedResult:
    """A fresh render with the workspace's default logo on it when it asks for that, else as it is."""
    overlay = branding_default_for_new_renders(video=video)
    if overlay is None:
        return result
    branded = work / "branded"
    branded.mkdir()
    logo = _download(overlay["logo"], branded / f"logo{Path(overlay['logo']).suffix}")
    return brand_video(source=result.video_path, logo=logo, settings_=overlay, work_dir=branded)
