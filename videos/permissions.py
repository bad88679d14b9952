"""Who may do what with videos, their versions and template imports; for pages, the API and the admin.

The rule is teams' (`teams.permissions.owned_check`): a personal video belongs to its owner alone,
a team's video follows the member's role, and anyone else gets NotFound so existence never leaks.
"""

from config.errors import NotFound
from teams.models import User
from teams.permissions import Action, owned_check
from videos.models import TemplateImport, Video, VideoVersion


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
