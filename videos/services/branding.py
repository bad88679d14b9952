"""Branding profiles (a logo and where it goes) and putting one on a video as a new version (Pro)."""

import secrets
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from billing import limits
from config.errors import DomainError, PermissionDenied
from teams.models import Team, User
from videos.media import accepted_image_upload, delete_from_storage, save_to_storage
from videos.models import BrandingProfile, Video, VideoVersion
from videos.permissions import branding_can_edit_team
from videos.selectors import account_for
from videos.services.versions import next_version_number

# A logo is a small picture; this cap also bounds what a request may make us store.
LOGO_MAX_MB = 5


def logo_too_large() -> DomainError:
    return DomainError(_("A logo can be at most %(size)d MB.") % {"size": LOGO_MAX_MB}, code="too_large", field="logo")


def _check_pro(account: User | Team) -> None:
    limits.check(account, limits.Limit.BRANDING)


def _account_of(profile: BrandingProfile) -> User | Team:
    return profile.team if profile.team_id else profile.owner


def _validated(fields: dict[str, Any]) -> dict[str, Any]:
    """The profile's settings as numbers in range and a known position; DomainError on the field if not."""
    ranges = {
        "opacity": (BrandingProfile.OPACITY_RANGE, _("Opacity must be a whole number from 0 to 100 %.")),
        # xgettext:no-python-format (a literal percent sign, never filled in)
        "scale": (BrandingProfile.SCALE_RANGE, _("Size must be a whole number from 5 to 30 % of the video width.")),
        "margin": (BrandingProfile.MARGIN_RANGE, _("Margin must be a whole number from 0 to 500 pixels.")),
    }
    cleaned: dict[str, Any] = {}
    for key, value in fields.items():
        if key in ranges:
            (low, high), message = ranges[key]
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise DomainError(message, field=key) from None
            if isinstance(value, bool) or str(number) != str(value).strip() or not low <= number <= high:
                raise DomainError(message, field=key)
            cleaned[key] = number
        elif key == "position":
            if value not in BrandingProfile.Position.values:
                raise DomainError(_("Choose one of the five positions."), field="position")
            cleaned[key] = value
        elif key == "name":
            name = str(value or "").strip()
            if not name or len(name) > 100:
                raise DomainError(_("Give the profile a name of at most 100 characters."), field="name")
            cleaned[key] = name
        else:
            cleaned[key] = bool(value)
    return cleaned


def _store_logo(*, upload: UploadedFile, folder: str) -> tuple[str, int, int]:
    """Check an uploaded logo with the one media check and store it; its stored name and size."""
    if (upload.size or 0) > LOGO_MAX_MB * 1024 * 1024:
        raise logo_too_large()
    with accepted_image_upload(upload, field="logo") as checked:
        # A fresh name for every logo: a render queued with the old one never reads the new one.
        name = save_to_storage(
            checked.path, f"{folder}/{secrets.token_hex(8)}{checked.extension}", content_type=checked.content_type
        )
    return name, checked.probe.width or 0, checked.probe.height or 0


def _folder_for(*, user: User, team: Team | None) -> str:
    return f"branding/team-{team.pk}" if team is not None else f"branding/user-{user.pk}"


def _make_default(profile: BrandingProfile) -> None:
    siblings = (
        BrandingProfile.objects.filter(team=profile.team)
        if profile.team_id
        else (BrandingProfile.objects.filter(owner=profile.owner, team__isnull=True))
    )
    siblings.exclude(pk=profile.pk).filter(is_default=True).update(is_default=False)


def branding_profile_create(
    *,
    actor: User,
    team: Team | None,
    name: str,
    logo: UploadedFile,
    position: str = BrandingProfile.Position.BOTTOM_RIGHT,
    opacity: int = 100,
    scale: int = 15,
    margin: int = 24,
    is_default: bool = False,
    apply_to_new_renders: bool = False,
) -> BrandingProfile:
    """Save a new branding profile for the person or (owners and admins) a team."""
    account = account_for(user=actor, team=team)
    if team is not None and not branding_can_edit_team(user=actor, team=team):
        raise PermissionDenied(_("Only the team's owners and admins can change its branding."))
    _check_pro(account)
    fields = _validated(
        {"name": name, "position": position, "opacity": opacity, "scale": scale, "margin": margin,
         "is_default": is_default, "apply_to_new_renders": apply_to_new_renders}
    )  # fmt: skip
    stored, width, height = _store_logo(upload=logo, folder=_folder_for(user=actor, team=team))
    try:
        with transaction.atomic():
            profile = BrandingProfile(
                owner=None if team is not None else actor,
                team=team,
                logo=stored,
                logo_width=width,
                logo_height=height,
                created_by=actor,
                **fields,
            )
            # The first profile of an account is its default.
            if not _profiles_of(profile).exists():
                profile.is_default = True
            if profile.is_default:
                _make_default(profile)
            profile.save()
    except BaseException:
        delete_from_storage([stored])  # storage is not transactional
        raise
    return profile


def _profiles_of(profile: BrandingProfile) -> Any:
    if profile.team_id:
        return BrandingProfile.objects.filter(team_id=profile.team_id)
    return BrandingProfile.objects.filter(owner_id=profile.owner_id, team__isnull=True)


EDITABLE = ("name", "position", "opacity", "scale", "margin", "is_default", "apply_to_new_renders")


def branding_profile_check_changes(*, profile: BrandingProfile, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes `branding_profile_update` would make, checked (plan and ranges); DomainError if refused.

    Forms that must show a refusal before saving (the ops console's) call it in their clean().
    """
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"Unknown branding profile fields: {sorted(unknown)}")
    _check_pro(_account_of(profile))
    return _validated(changes)


def branding_profile_update(
    *, profile: BrandingProfile, actor: User, logo: UploadedFile | None = None, **changes: Any
) -> BrandingProfile:
    """Change a profile's settings and/or logo.

    `profile` comes from `videos.permissions.branding_profile_get_for_user(action=Action.EDIT)`.
    """
    fields = branding_profile_check_changes(profile=profile, changes=changes)
    stored = None
    if logo is not None:
        folder = _folder_for(user=actor, team=profile.team) if profile.team_id else f"branding/user-{profile.owner_id}"
        stored, width, height = _store_logo(upload=logo, folder=folder)
    old_logo = profile.logo.name
    try:
        with transaction.atomic():
            profile = BrandingProfile.objects.select_for_update().get(pk=profile.pk)
            for key, value in fields.items():
                setattr(profile, key, value)
            if stored is not None:
                profile.logo.name, profile.logo_width, profile.logo_height = stored, width, height
                # The old logo goes once the new one is saved (not while a rollback could still need it).
                transaction.on_commit(lambda: delete_from_storage([old_logo]))
            if fields.get("is_default"):
                _make_default(profile)
            profile.save()
    except BaseException:
        if stored is not None:
            delete_from_storage([stored])
        raise
    return profile


@transaction.atomic
def branding_profile_set_default(*, profile: BrandingProfile, actor: User) -> BrandingProfile:
    """Make a profile its account's default.

    `profile` comes from `videos.permissions.branding_profile_get_for_user(action=Action.EDIT)`.
    """
    _make_default(profile)
    profile.is_default = True
    profile.save(update_fields=["is_default", "updated_at"])
    return profile


@transaction.atomic
def branding_profile_delete(*, profile: BrandingProfile, actor: User | None) -> None:
    """Delete a profile and, once that commits, its logo. Allowed on any plan (nothing is added).

    `profile` comes from `videos.permissions.branding_profile_get_for_user(action=Action.DELETE)`,
    the ops console, or a deletion of its owner or team.
    """
    name = profile.logo.name
    was_default = profile.is_default
    siblings = _profiles_of(profile).exclude(pk=profile.pk)
    profile.delete()
    if was_default:
        # The account keeps a default while it has profiles.
        heir = siblings.order_by("name", "pk").first()
        if heir is not None:
            heir.is_default = True
            heir.save(update_fields=["is_default", "updated_at"])
    transaction.on_commit(lambda: delete_from_storage([name]))


@transaction.atomic
def branding_apply(*, video: Video, profile: BrandingProfile, actor: User) -> VideoVersion:
    """Queue a new version of the video with the profile's logo on it (undo: restore the earlier one).

    `video` comes from `videos.permissions.video_get_for_user(action=Action.BRAND)` and `profile`
    from `branding_profile_get_for_user` (action VIEW).
    """
    if (profile.team_id or None) != (video.team_id or None) or (
        profile.team_id is None and profile.owner_id != video.owner_id
    ):
        raise DomainError(_("Use a branding profile of the workspace this video belongs to."), field="profile")
    _check_pro(account_for(user=video.owner, team=video.team))
    video = Video.objects.select_for_update(of=("self",)).select_related("current_version").get(pk=video.pk)
    source = video.current_version
    if source is None or not source.is_restorable or video.is_busy:
        raise DomainError(_("Branding can be applied once the video has finished rendering."), code="not_ready")
    version = VideoVersion.objects.create(
        video=video,
        number=next_version_number(video=video),
        # The render brands the source's file instead of rendering the spec; the spec stays for the record.
        render_spec={**(source.render_spec or {}), "base": source.file.name, "branding": profile.overlay_settings()},
        created_by=actor,
        change_description=_("Branding “%(name)s” applied to v%(number)d")
        % {"name": profile.name, "number": source.number},
    )
    video.status = Video.Status.RENDERING
    video.save(update_fields=["status", "updated_at"])
    from videos.tasks import video_render

    transaction.on_commit(lambda: video_render.delay(version.pk))
    return version


def branding_profiles_delete_for(*, user: User | None = None, team: Team | None = None) -> None:
    """Delete every profile of a person (personal ones) or a team, with their logos after the commit."""
    profiles = (
        BrandingProfile.objects.filter(team=team)
        if team is not None
        else BrandingProfile.objects.filter(owner=user, team__isnull=True)
    )
    names = list(profiles.values_list("logo", flat=True))
    profiles.delete()
    transaction.on_commit(lambda: delete_from_storage(names))
