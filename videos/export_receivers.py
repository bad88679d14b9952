"""Exports are removed with the people and teams whose videos they hold (connected in VideosConfig.ready,
before the videos' own receivers, so the links from exports to the videos still exist)."""

from typing import Any

from django.db.models import Q
from django.dispatch import receiver

from teams.models import Team, User
from teams.signals import team_deleting, user_deleting
from videos.models import ExportJob
from videos.services.exports import export_delete


@receiver(user_deleting, dispatch_uid="videos.delete_exports_of_user")
def _delete_exports_of_user(sender: Any, *, user: User, actor: User | None, **kwargs: Any) -> None:
    # Their own exports, and teammates' exports that hold a video of theirs (deleted with them).
    for job in ExportJob.objects.filter(Q(owner=user) | Q(videos__owner=user)).distinct():
        export_delete(job=job)


@receiver(team_deleting, dispatch_uid="videos.delete_exports_of_team")
def _delete_exports_of_team(sender: Any, *, team: Team, actor: User | None, **kwargs: Any) -> None:
    for job in ExportJob.objects.filter(videos__team=team).distinct():
        export_delete(job=job)
