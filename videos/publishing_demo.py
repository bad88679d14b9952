"""Demo publications: one already published (with a platform that failed), two scheduled ahead.

Written as rows, not through the scheduling service: the demo has no linked platform accounts,
and past results cannot be produced without the real platforms. The scheduled ones show, once
due, the "link the account" refusal a person would see.
"""

from datetime import timedelta

from django.utils import timezone

from teams.models import User
from videos.publishing_models import Publication, PublicationTarget

TStatus = PublicationTarget.Status


def load(*, creator: User, staff: User) -> None:
    """Give the demo creator a past and two upcoming publications of their demo videos (once)."""
    if Publication.objects.filter(owner=creator).exists():
        return
    videos = list(creator.videos.order_by("pk")[:2])
    if not videos:
        return
    now = timezone.now()
    zone = creator.time_zone or "UTC"
    past = Publication.objects.create(
        video=videos[0],
        owner=creator,
        scheduled_at=now - timedelta(days=2),
        time_zone=zone,
        status=Publication.Status.PARTLY_PUBLISHED,
        claimed_at=now - timedelta(days=2),
        finished_at=now - timedelta(days=2),
    )
    PublicationTarget.objects.bulk_create(
        [
            PublicationTarget(
                publication=past,
                platform="youtube",
                title=videos[0].title,
                caption="Small steps, every day. #motivation",
                status=TStatus.PUBLISHED,
                remote_id="demo-youtube-1",
                attempts=1,
                published_at=now - timedelta(days=2),
            ),
            PublicationTarget(
                publication=past,
                platform="tiktok",
                caption="Small steps, every day.",
                status=TStatus.PUBLISHED,
                remote_id="demo-tiktok-1",
                attempts=2,
                published_at=now - timedelta(days=2),
            ),
            PublicationTarget(
                publication=past,
                platform="x",
                caption="Small steps, every day.",
                status=TStatus.FAILED,
                attempts=1,
                error_message="X no longer accepts the link to your account (the access was revoked or expired).",
                error_action="Reconnect the account on the publishing accounts page, then try again.",
            ),
        ]
    )
    for days, video, platforms in ((3, videos[-1], ("instagram", "facebook")), (7, videos[0], ("youtube",))):
        upcoming = Publication.objects.create(
            video=video, owner=creator, scheduled_at=now + timedelta(days=days), time_zone=zone
        )
        PublicationTarget.objects.bulk_create(
            [
                PublicationTarget(publication=upcoming, platform=p, title=video.title, caption=video.title)
                for p in platforms
            ]
        )
