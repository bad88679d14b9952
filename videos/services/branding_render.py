"""The renderer's side of branding: the logo on a stored version, or on a fresh render by default."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from billing import limits
from config.errors import NotFound
from teams.models import Team, User
from videos.media import download_from_storage
from videos.models import BrandingProfile, Video
from videos.permissions import branding_profile_get_for_user
from videos.render.branding import BrandedResult, brand_video
from videos.render.ffmpeg import RenderError, RenderResult
from videos.selectors import account_for


def brand_stored_video(
    base: str, overlay: dict[str, Any], *, work: Path, on_progress: Callable[[int], None] | None = None
) -> BrandedResult:
    """The stored video `base` with the logo of `overlay` (a profile's `overlay_settings`) on it."""
    source = download_for_render(base, work / f"base{Path(base).suffix}")
    logo = download_for_render(overlay["logo"], work / f"logo{Path(overlay['logo']).suffix}")
    return brand_video(source=source, logo=logo, settings_=overlay, work_dir=work, on_progress=on_progress)


def download_for_render(name: str, target: Path) -> Path:
    """A stored media file or logo copied to `target` for ffmpeg; RenderError if it has been deleted."""
    try:
        return download_from_storage(name, target)
    except FileNotFoundError:
        # Retention or a replaced logo removed it while the render waited for a worker.
        raise RenderError(_("the logo or the version it was applied to has been deleted since")) from None


def branding_default_for_workspace(*, owner: User, team: Team | None) -> dict[str, Any] | None:
    """The overlay of the workspace's default profile when it is set to brand every new render and
    the workspace's plan includes branding; None otherwise."""
    profiles = (
        BrandingProfile.objects.filter(team=team)
        if team is not None
        else BrandingProfile.objects.filter(owner=owner, team__isnull=True)
    )
    profile = profiles.filter(is_default=True, apply_to_new_renders=True).first()
    if profile is None or not limits.allows(account_for(user=owner, team=team), limits.Limit.BRANDING):
        return None
    return profile.overlay_settings()


def branding_default_for_new_renders(*, video: Video) -> dict[str, Any] | None:
    """The default overlay of the video's workspace (see `branding_default_for_workspace`)."""
    return branding_default_for_workspace(owner=video.owner, team=video.team)


def branding_chosen(*, user: User, owner: User, team: Team | None, profile_id: Any) -> dict[str, Any] | None:
    """The overlay of the profile a creator picked for a video of the workspace (`owner`, `team`);
    None when they picked "no logo" (an empty choice).

    The profile must be one `user` may use and belong to that workspace (else NotFound), and the
    workspace's plan must include branding (LimitReached).
    """
    if profile_id in (None, ""):
        return None
    try:
        profile_id = int(profile_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    profile = branding_profile_get_for_user(user=user, profile_id=profile_id)
    same_workspace = (
        profile.team_id == team.pk if team is not None else (profile.team_id is None and profile.owner_id == owner.pk)
    )
    if not same_workspace:
        raise NotFound()
    limits.check(account_for(user=owner, team=team), limits.Limit.BRANDING)
    return profile.overlay_settings()


def brand_new_render(
    *, video: Video, spec: dict[str, Any], result: RenderResult, work: Path
) -> RenderResult | BrandedResult:
    """A fresh render with its logo: the one the creator picked (frozen into the spec as `branding`,
    None for none), else the workspace's default when it asks to brand every render."""
    overlay = spec["branding"] if "branding" in spec else branding_default_for_new_renders(video=video)
    if overlay is None:
        return result
    branded = work / "branded"
    branded.mkdir()
    logo = download_for_render(overlay["logo"], branded / f"logo{Path(overlay['logo']).suffix}")
    return brand_video(source=result.video_path, logo=logo, settings_=overlay, work_dir=branded)
