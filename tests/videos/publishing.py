"""Publishing test helpers: the fake platforms pointed at by settings, linked accounts, a ready video."""

import os
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from allauth.socialaccount.models import SocialAccount, SocialToken
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.videos.factories import VideoFactory
from tests.videos.platform_servers import ACCESS_TOKEN, PROVIDER, FakePlatforms
from videos.models import Video

PLATFORM_NAMES = ("youtube", "instagram", "tiktok", "facebook", "x")
MEDIA_BYTES = 600 * 1024 + 123  # three 256 KiB chunks, the last one short


@pytest.fixture(scope="session")
def fake_platforms_running() -> Iterator[FakePlatforms]:
    servers = FakePlatforms()
    yield servers
    servers.stop()


@pytest.fixture
def platforms(fake_platforms_running: FakePlatforms, settings: Any) -> FakePlatforms:
    """The five fake platforms, empty, with the clients pointed at them and apps configured."""
    fake_platforms_running.reset()
    for key, value in fake_platforms_running.overrides().items():
        setattr(settings, key, value)
    settings.SOCIALACCOUNT_PROVIDERS = {
        provider: {**config, "APP": {"client_id": f"{provider}-client", "secret": f"{provider}-secret"}}
        for provider, config in settings.SOCIALACCOUNT_PROVIDERS.items()
    }
    return fake_platforms_running


def link(
    user: Any,
    platform: str,
    *,
    token: str = ACCESS_TOKEN,
    refresh: str = "refresh-1",
    expires_in: int = 3600,
    uid: str = "",
) -> SocialAccount:
    """Link `platform` to `user` the way allauth does after the OAuth dance."""
    account = SocialAccount.objects.create(
        user=user, provider=PROVIDER[platform], uid=uid or f"{platform}-{user.pk}", extra_data={"username": "cora"}
    )
    SocialToken.objects.create(
        account=account, token=token, token_secret=refresh, expires_at=timezone.now() + timedelta(seconds=expires_in)
    )
    return account


@pytest.fixture
def link_account() -> Callable[..., SocialAccount]:
    return link


def make_video(owner: Any, *, size: int = MEDIA_BYTES, team: Any = None, **figures: Any) -> Video:
    video = VideoFactory(owner=owner, team=team, status=Video.Status.READY)
    name = default_storage.save(f"videos/{video.pk}/v1/video.mp4", ContentFile(os.urandom(size)))
    values = {"duration_seconds": 20.0, "width": 1080, "height": 1920} | figures
    Video.objects.filter(pk=video.pk).update(file=name, size_bytes=size, **values)
    video.refresh_from_db()
    return video


@pytest.fixture
def publishable_video() -> Callable[..., Video]:
    return make_video


def make_due_publications(
    owner: Any, count: int, *, names: tuple[str, ...] = PLATFORM_NAMES, per_publication: int = 1
) -> list[int]:
    """`count` publications of one video of `owner`, due a minute ago, each on `per_publication`
    platforms taken in turn from `names` (accounts linked once); captions `pub-<n>` name them at the
    fake servers. Rows are written in bulk: the scheduling service is tested elsewhere."""
    from videos.publishing_models import Publication, PublicationTarget

    video = make_video(owner)
    accounts = {name: link(owner, name) for name in names}
    due = timezone.now() - timedelta(minutes=1)
    publications = Publication.objects.bulk_create(
        [Publication(video=video, owner=owner, scheduled_at=due, time_zone="UTC") for _ in range(count)]
    )
    targets = []
    for index, publication in enumerate(publications):
        for offset in range(per_publication):
            name = names[(index + offset) % len(names)]
            targets.append(
                PublicationTarget(
                    publication=publication,
                    platform=name,
                    social_account=accounts[name],
                    caption=f"pub-{publication.pk}",
                )
            )
    PublicationTarget.objects.bulk_create(targets)
    return [p.pk for p in publications]
