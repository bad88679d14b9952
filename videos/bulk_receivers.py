"""Bulk jobs follow their rows' renders, and clean up after deleted people and teams
(connected in VideosConfig.ready)."""

from typing import Any

from django.dispatch import receiver

from teams.models import Team, User
from teams.signals import team_deleting, user_deleting
from videos.services.bulk import bulk_jobs_delete_for, bulk_row_settle
from videos.signals import render_settled


@receiver(render_settled, dispatch_uid="videos.bulk_row_settle")
def _settle_bulk_row(sender: Any, *, version_id: int, video_id: int, ready: bool, **kwargs: Any) -> None:
    bulk_row_settle(video_id=video_id, version_id=version_id, ready=ready)


@receiver(user_deleting, dispatch_uid="videos.delete_bulk_jobs_of_user")
def _delete_bulk_jobs_of_user(sender: Any, *, user: User, actor: User | None, **kwargs: Any) -> None:
    bulk_jobs_delete_for(user=user)


@receiver(team_deleting, dispatch_uid="videos.delete_bulk_jobs_of_team")
def _delete_bulk_jobs_of_team(sender: Any, *, team: Team, actor: User | None, **kwargs: Any) -> None:
    bulk_jobs_delete_for(team=team)
