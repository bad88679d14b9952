"""Who may do what with videos, their versions and template imports; for pages, the API and the admin.

The rule is teams' (`teams.permissions.owned_check`): a personal video belongs to its owner alone,
a team's video follows the member's role, and anyone else gets NotFound so existence never leaks.
"""

from config.errors import NotFound, PermissionDenied
from teams.models import Team, User
from teams.permissions import Action, Role, owned_check, role_allows, team_role_for
from videos.models import BrandingProfile, BulkJob, ExportJob, TemplateImport, Video, VideoVersion
from videos.publishing_models import Publication, PublicationTarget

# A team's look is decided by its owners and admins; every member may use (view, apply) its profiles.
BRANDING_EDITOR_ROLES = frozenset({Role.OWNER, Role.ADMIN})


def video_get_for_user(*, user: User, video_id: int, action: str = Action.VIEW) -> Video:
    """The video if the user may perform `action` on it; NotFound if they may not even see it."""
    video = Video.objects.select_related("owner", "team", "template", "current_version").filter(pk=video_id).first()
    if video is None:
        raise NotFound()
    owned_check(user=user, owner_id=video.owner_id, team_id=video.team_id, action=action)
    return video


def video_get_as_comment_target(*, user: User, target_id: int, action: str = Action.VIEW) -> Video:
    """`video_get_for_user` in the shape teams' comment registry calls (registered in VideosConfig.ready)."""
    return video_get_for_user(user=user, video_id=target_id, action=action)


def version_get_for_user(*, user: User, video_id: int, number: int, action: str = Action.VIEW) -> VideoVersion:
    """Version `number` of a video the user may perform `action` on, or NotFound."""
    video = video_get_for_user(user=user, video_id=video_id, action=action)
    version = video.versions.select_related("created_by").filter(number=number).first()
    if version is None:
        raise NotFound()
    version.video = video
    return version


def template_import_get_for_user(*, user: User, import_id: int) -> TemplateImport:
    """A bulk template import: staff only (they start them in the ops console); NotFound for anyone else."""
    if not getattr(user, "is_staff", False):
        raise NotFound()
    job = TemplateImport.objects.select_related("created_by").filter(pk=import_id).first()
    if job is None:
        raise NotFound()
    return job


def branding_can_edit_team(*, user: User, team: Team | int) -> bool:
    """Whether the user may create, change or delete the team's branding profiles (owners and admins)."""
    return team_role_for(user=user, team=team) in BRANDING_EDITOR_ROLES


def branding_profile_get_for_user(*, user: User, profile_id: int, action: str = Action.VIEW) -> BrandingProfile:
    """A branding profile the user may `action` (VIEW to use it; EDIT or DELETE to change it).

    A personal profile is its owner's alone; a team's is seen by its members and changed by its
    owners and admins; NotFound for everyone else.
    """
    profile = BrandingProfile.objects.select_related("owner", "team").filter(pk=profile_id).first()
    if profile is None or not getattr(user, "is_authenticated", False):
        raise NotFound()
    if profile.team_id is None:
        if profile.owner_id != user.pk:
            raise NotFound()
        return profile
    role = team_role_for(user=user, team=profile.team_id)
    if role is None:
        raise NotFound()
    if action != Action.VIEW and role not in BRANDING_EDITOR_ROLES:
        raise PermissionDenied()
    return profile


def videos_get_for_user(*, user: User, video_ids: list[int], action: str = Action.VIEW) -> list[Video]:
    """Each of the videos (in the order asked) if the user may perform `action` on all of them;
    NotFound if any one is missing or unseen, PermissionDenied if any one's role forbids `action`."""
    found = {video.pk: video for video in Video.objects.select_related("owner", "team").filter(pk__in=video_ids)}
    roles: dict[int, str | None] = {}  # one membership lookup per team, not per video
    videos = []
    for video_id in video_ids:
        video = found.get(video_id)
        if video is None:
            raise NotFound()
        if video.team_id is not None and video.team_id not in roles:
            roles[video.team_id] = team_role_for(user=user, team=video.team_id)
        if video.team_id is None:
            owned_check(user=user, owner_id=video.owner_id, team_id=None, action=action)
        elif not role_allows(roles[video.team_id], Action.VIEW):
            raise NotFound()
        elif not role_allows(roles[video.team_id], action):
            raise PermissionDenied()
        videos.append(video)
    return videos


def export_get_for_user(*, user: User, export_id: int) -> ExportJob:
    """An export job of the user's own (exports are personal, whatever teams their videos are in), or NotFound."""
    job = ExportJob.objects.filter(pk=export_id, owner_id=getattr(user, "pk", None)).first()
    if job is None:
        raise NotFound()
    return job


def publication_get_for_user(*, user: User, publication_id: int, action: str = Action.VIEW) -> Publication:
    """A publication the user may `action` (VIEW; SCHEDULE to cancel, reschedule or retry it).

    It follows its video's rule: a personal one is its scheduler's alone, a team's follows the role.
    """
    publication = (
        Publication.objects.select_related("video", "owner", "team")
        .prefetch_related("targets")
        .filter(pk=publication_id)
        .first()
    )
    if publication is None:
        raise NotFound()
    owned_check(user=user, owner_id=publication.owner_id, team_id=publication.team_id, action=action)
    return publication


def publication_target_get_for_user(*, user: User, target_id: int, action: str = Action.SCHEDULE) -> PublicationTarget:
    """One platform of a publication the user may `action`, or NotFound."""
    target = PublicationTarget.objects.select_related("publication").filter(pk=target_id).first()
    if target is None:
        raise NotFound()
    publication = target.publication
    owned_check(user=user, owner_id=publication.owner_id, team_id=publication.team_id, action=action)
    return target


def bulk_job_get_for_user(*, user: User, job_id: int) -> BulkJob:
    """A bulk job of the user's own (jobs are personal, whichever team their videos go to), or NotFound.

    Staff reach every job through the ops console, which calls the services directly.
    """
    job = (
        BulkJob.objects.select_related("template", "team", "owner")
        .filter(pk=job_id, owner_id=getattr(user, "pk", None))
        .first()
    )
    if job is None:
        raise NotFound()
    return job
