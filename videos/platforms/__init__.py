"""Platform clients: one per platform behind `videos.platforms.base.PlatformClient`."""

from videos.platforms.base import (
    MediaFile,
    MediaLimits,
    PermanentError,
    PlatformClient,
    PlatformError,
    PostMeta,
    PostStats,
    PublishResult,
    TransientError,
    UnknownOutcome,
)


def client_class(platform: str) -> type[PlatformClient]:
    """The client class of `platform` (a `Platform` value)."""
    from videos.platforms.facebook import FacebookClient
    from videos.platforms.instagram import InstagramClient
    from videos.platforms.tiktok import TikTokClient
    from videos.platforms.x import XClient
    from videos.platforms.youtube import YouTubeClient

    classes = {c.platform: c for c in (YouTubeClient, InstagramClient, TikTokClient, FacebookClient, XClient)}
    return classes[platform]


__all__ = [
    "MediaFile",
    "MediaLimits",
    "PermanentError",
    "PlatformClient",
    "PlatformError",
    "PostMeta",
    "PostStats",
    "PublishResult",
    "TransientError",
    "UnknownOutcome",
    "client_class",
]
