"""Videos cleans up after people and teams that teams deletes (connected in VideosConfig.ready)."""

from typing import Any

from django.dispatch import receiver

from teams.models import Team, User
from teams.signals import team_deleting, user_deleting
from videos.models import Video
from videos.services import branding_profiles_delete_for, video_delete


@receiver(user_deleting, dispatch_uid="videos.delete_videos_of_user")
def _delete_videos_of_user(sender: Any, *, user: User, actor: User | None, **kwargs: Any) -> None:
    # Every video the person owns, in their teams too; the files go once the deletion commits.
    for video in Video.objects.filter(owner=user).select_related("template"):
        video_delete(video=video, actor=actor)


@receiver(team_deleting, dispatch_uid="videos.delete_videos_of_team")
def _delete_videos_of_team(sender: Any, *, team: Team, actor: User | None, **kwargs: Any) -> None:
    for video in Video.objects.filter(team=team).select_related("template"):
        video_delete(video=video, actor=actor)


@receiver(user_deleting, dispatch_uid="videos.delete_branding_of_user")
def _delete_branding_of_user(sender: Any, *, user: User, actor: User | None, **kwargs: Any) -> None:
    # Personal profiles only: a team's profiles belong to the team and outlive the member who made them.
    branding_profiles_delete_for(user=user)


@receiver(team_deleting, dispatch_uid="videos.delete_branding_of_team")
def _delete_branding_of_team(sender: Any, *, team: Team, actor: User | None, **kwargs: Any) -> None:
    branding_profiles_delete_for(team=team)
