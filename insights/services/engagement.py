"""Writes of video engagement: our player's beacons and the daily fetch of platform statistics.

Both write `VideoDailyStat` rows (insights.engagement_models). A player view counts once per
visitor, video and day; watch time is bounded per beacon and per visitor and day, so a script
that loops the beacon cannot inflate it. Platform counters are lifetime totals: a day's row holds
the total minus what the earlier days' rows already hold, so fetching a day again replaces it.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils.crypto import salted_hmac

from config.errors import DomainError
from insights.engagement_models import (
    CreatorDailyStat,
    EngagementPlatform,
    PlayerViewerDay,
    VideoDailyStat,
    VideoEngagementTotal,
    engagement_today,
)
from videos.models import Video

logger = logging.getLogger(__name__)


def player_visitor_key(*, user_id: int | None, visitor: str) -> str:
    """The ledger's key for a viewer: a keyed hash of the person (or the anonymous cookie), never the raw id."""
    who = f"user:{user_id}" if user_id else f"visitor:{visitor}"
    return salted_hmac("insights.player-visitor", who, algorithm="sha256").hexdigest()


def _watch_cap_seconds(video: Video) -> int:
    """At most this much watch time per visitor, video and day: a few replays of the whole video."""
    duration = video.duration_seconds or 0
    if duration <= 0:
        return settings.ENGAGEMENT_WATCH_CAP_UNKNOWN_SECONDS
    return int(duration * settings.ENGAGEMENT_WATCH_REPLAYS)


def _stat_for(*, video: Video, platform: str, day: date) -> VideoDailyStat:
    stat, _created = VideoDailyStat.objects.get_or_create(
        video=video, platform=platform, day=day, defaults={"owner_id": video.owner_id}
    )
    return stat


FIGURES = ("views", "likes", "shares", "watch_seconds")


def _upsert_add(table: str, keys: dict[str, object], extra: dict[str, object], add: dict[str, int]) -> None:
    """INSERT the row, or add `add` to the existing one's columns (one statement on PostgreSQL and SQLite)."""
    columns = [*keys, *extra, *add]
    updates = ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in add)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))}) "  # noqa: S608 (our names)
        f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*keys.values(), *extra.values(), *add.values()])


def _rollups_add(*, video_id: int, owner_id: int, platform: str, day: date, **change: int) -> None:
    """Keep the owner's per-day sums and the video's lifetime sums in step with a change of a daily row."""
    add = {column: int(change.get(column, 0)) for column in FIGURES}
    if not any(add.values()):
        return
    _upsert_add(
        CreatorDailyStat._meta.db_table,
        {"owner_id": owner_id, "day": day, "platform": platform},
        {},
        add,
    )
    _upsert_add(VideoEngagementTotal._meta.db_table, {"video_id": video_id}, {"owner_id": owner_id}, add)


@transaction.atomic
def engagement_rollups_rebuild(*, owner_ids: list[int] | None = None) -> None:
    """Recompute the per-owner-day and per-video sums from the daily rows (set-based; for bulk loads and repair)."""
    scope, params = "", []
    if owner_ids is not None:
        if not owner_ids:
            return
        scope = f" WHERE owner_id IN ({', '.join(['%s'] * len(owner_ids))})"
        params = list(owner_ids)
    creator_table, video_table = CreatorDailyStat._meta.db_table, VideoEngagementTotal._meta.db_table
    source = VideoDailyStat._meta.db_table
    sums = "SUM(views), SUM(likes), SUM(shares), SUM(watch_seconds)"
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {creator_table}{scope}", params)  # noqa: S608 (our names)
        cursor.execute(f"DELETE FROM {video_table}{scope}", params)  # noqa: S608 (our names)
        cursor.execute(
            f"INSERT INTO {creator_table} (owner_id, platform, day, views, likes, shares, watch_seconds) "  # noqa: S608
            f"SELECT owner_id, platform, day, {sums} FROM {source}{scope} GROUP BY owner_id, platform, day",
            params,
        )
        cursor.execute(
            f"INSERT INTO {video_table} (video_id, owner_id, views, likes, shares, watch_seconds) "  # noqa: S608
            f"SELECT video_id, owner_id, {sums} FROM {source}{scope} GROUP BY video_id, owner_id",
            params,
        )


@transaction.atomic
def player_view_record(*, video: Video, visitor_key: str, day: date | None = None) -> bool:
    """Count a view in our player, once per visitor, video and day; True if this one counted."""
    day = day or engagement_today()
    _viewer, created = PlayerViewerDay.objects.get_or_create(video=video, visitor=visitor_key, day=day)
    if created:
        stat = _stat_for(video=video, platform=EngagementPlatform.PLAYER, day=day)
        VideoDailyStat.objects.filter(pk=stat.pk).update(views=F("views") + 1)
        _rollups_add(video_id=video.pk, owner_id=video.owner_id, platform=stat.platform, day=day, views=1)
    return created


@transaction.atomic
def player_watch_record(*, video: Video, visitor_key: str, seconds: int, day: date | None = None) -> int:
    """Add watched seconds from our player (bounded); returns the seconds accepted."""
    day = day or engagement_today()
    if seconds <= 0:
        return 0
    seconds = min(seconds, settings.ENGAGEMENT_WATCH_BEACON_MAX_SECONDS)
    player_view_record(video=video, visitor_key=visitor_key, day=day)
    # The row lock serialises two beacons of one viewer, so the cap holds under concurrency.
    viewer = PlayerViewerDay.objects.select_for_update().get(video=video, visitor=visitor_key, day=day)
    accepted = max(0, min(seconds, _watch_cap_seconds(video) - viewer.watch_seconds))
    if accepted:
        PlayerViewerDay.objects.filter(pk=viewer.pk).update(watch_seconds=F("watch_seconds") + accepted)
        stat = _stat_for(video=video, platform=EngagementPlatform.PLAYER, day=day)
        VideoDailyStat.objects.filter(pk=stat.pk).update(watch_seconds=F("watch_seconds") + accepted)
        _rollups_add(
            video_id=video.pk, owner_id=video.owner_id, platform=stat.platform, day=day, watch_seconds=accepted
        )
    return accepted


@transaction.atomic
def video_daily_stat_replace_from_total(
    *, video_id: int, owner_id: int, platform: str, day: date, views: int, likes: int, shares: int
) -> VideoDailyStat:
    """Store a platform's lifetime totals as the day's growth: total minus the earlier days' rows."""
    earlier = VideoDailyStat.objects.filter(video_id=video_id, platform=platform, day__lt=day).aggregate(
        views=Sum("views"), likes=Sum("likes"), shares=Sum("shares")
    )
    values = {
        # A platform may lower a counter (an unlike, spam removed): the day then gained nothing.
        "views": max(0, views - (earlier["views"] or 0)),
        "likes": max(0, likes - (earlier["likes"] or 0)),
        "shares": max(0, shares - (earlier["shares"] or 0)),
    }
    stat = VideoDailyStat.objects.select_for_update().filter(video_id=video_id, platform=platform, day=day).first()
    if stat is None:
        stat = VideoDailyStat.objects.create(video_id=video_id, owner_id=owner_id, platform=platform, day=day, **values)
        before = dict.fromkeys(values, 0)
    else:
        before = {column: getattr(stat, column) for column in values}
        for column, value in values.items():
            setattr(stat, column, value)
        stat.save(update_fields=list(values))
    _rollups_add(
        video_id=video_id,
        owner_id=owner_id,
        platform=platform,
        day=day,
        **{column: values[column] - before[column] for column in values},
    )
    return stat


@dataclass
class FetchReport:
    stored: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)


def video_stats_fetch_day(*, day: date | None = None) -> FetchReport:
    """Read every published post's statistics from its platform and store them as `day`'s rows.

    Idempotent: running a day again replaces its rows. A video posted twice on one platform adds
    both posts; if one of them cannot be read, that video and platform is left for the next run
    rather than stored short.
    """
    from videos.platforms.base import PlatformError
    from videos.publishing_models import PublicationTarget
    from videos.services.publishing import target_stats

    day = day or engagement_today()
    report = FetchReport()
    targets = (
        PublicationTarget.objects.filter(status=PublicationTarget.Status.PUBLISHED, social_account__isnull=False)
        .exclude(remote_id="")
        .select_related("publication__video", "social_account")
        .order_by("publication__video_id", "platform", "pk")
    )
    totals: dict[tuple[int, int, str], list[int]] = {}
    broken: set[tuple[int, int, str]] = set()
    for target in targets.iterator(chunk_size=200):
        video = target.publication.video
        key = (video.pk, video.owner_id, target.platform)
        try:
            stats = target_stats(target=target)
        except (PlatformError, DomainError) as exc:
            logger.warning("Statistics of publication target %s not read: %s", target.pk, exc)
            report.failed += 1
            report.failures.append(f"{target.platform} {target.remote_id}: {exc}")
            broken.add(key)
            continue
        figures = totals.setdefault(key, [0, 0, 0])
        figures[0] += stats.views
        figures[1] += stats.likes
        figures[2] += stats.shares
    for (video_id, owner_id, platform), (views, likes, shares) in totals.items():
        if (video_id, owner_id, platform) in broken:
            continue
        video_daily_stat_replace_from_total(
            video_id=video_id, owner_id=owner_id, platform=platform, day=day, views=views, likes=likes, shares=shares
        )
        report.stored += 1
    return report


def player_viewers_prune(*, before: date) -> int:
    """Forget which visitors watched on days before `before`: the ledger only deduplicates within a day."""
    deleted, _per_model = PlayerViewerDay.objects.filter(day__lt=before).delete()
    return deleted
