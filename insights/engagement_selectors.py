"""Reads of video engagement for the creator dashboard: a fixed handful of aggregates over the
daily rows (index `insights_videostat_owner_day`), whatever the number of videos or days.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import formats
from django.utils.translation import gettext as _

from config.pagination import capped_count
from insights.engagement_models import (
    CreatorDailyStat,
    EngagementPlatform,
    VideoDailyStat,
    VideoEngagementTotal,
    engagement_today,
)
from teams.models import User
from videos.models import Video

ACTIVITY_DAYS = 30


@dataclass
class Figures:
    views: int = 0
    likes: int = 0
    shares: int = 0
    watch_seconds: int = 0
    player_views: int = 0

    def add(self, *, views: int, likes: int, shares: int, watch_seconds: int, player_views: int) -> None:
        self.views += views
        self.likes += likes
        self.shares += shares
        self.watch_seconds += watch_seconds
        self.player_views += player_views

    @property
    def engagement_rate(self) -> float | None:
        """Likes and shares per 100 views; None before the first view."""
        return round(100 * (self.likes + self.shares) / self.views, 1) if self.views else None

    @property
    def average_watch_seconds(self) -> float | None:
        """Watch time per view in our player (only our player reports watch time)."""
        return round(self.watch_seconds / self.player_views, 1) if self.player_views else None


@dataclass
class Trend:
    label: str
    this_month: float | None
    last_month: float | None

    @property
    def direction(self) -> str:
        """'up', 'down' or 'flat' (also when either month has no figure)."""
        if self.this_month is None or self.last_month is None or self.this_month == self.last_month:
            return "flat"
        return "up" if self.this_month > self.last_month else "down"

    @property
    def change_percent(self) -> float | None:
        """The change on last month in percent (None when last month had nothing to compare with)."""
        if not self.last_month or self.this_month is None:
            return None
        return round(100 * (self.this_month - self.last_month) / self.last_month, 1)

    @property
    def description(self) -> str:
        """The trend in words, so it is never told by the arrow alone."""
        change = self.change_percent
        if self.this_month is None and self.last_month is None:
            return _("No figures this month or last")
        if self.direction == "flat":
            return _("Same as last month")
        if change is None:
            return _("Up from none last month") if self.direction == "up" else _("Down to none this month")
        if self.direction == "up":
            return _("Up %(change)s %% on last month") % {"change": formats.number_format(change, 1)}
        return _("Down %(change)s %% on last month") % {"change": formats.number_format(-change, 1)}


@dataclass
class CreatorDashboard:
    # Counted up to config.pagination's cap, like the video list ("1,000+"): an exact count of a
    # big account's videos would read all of them.
    video_count: int
    video_count_capped: bool
    total: Figures
    this_month: Figures
    last_month: Figures
    platforms: list[tuple[str, str, Figures]]
    top_videos: list[dict]
    days: list[tuple[date, int, int]]  # (day, views, watch seconds), oldest first, ACTIVITY_DAYS long
    trends: list[Trend] = field(default_factory=list)

    @property
    def has_engagement(self) -> bool:
        return self.total.views > 0 or self.total.likes > 0 or self.total.shares > 0

    @property
    def last_7_days(self) -> list[tuple[date, int, int]]:
        return self.days[-7:]

    @property
    def views_7_days(self) -> int:
        return sum(views for _day, views, _watch in self.last_7_days)

    @property
    def views_30_days(self) -> int:
        return sum(views for _day, views, _watch in self.days)


def _month_start(day: date) -> date:
    return day.replace(day=1)


def creator_dashboard_for_user(*, user: User, today: date | None = None) -> CreatorDashboard:
    """The creator's engagement figures in four queries over the kept sums (a few hundred rows
    whatever the number of videos): videos, platforms by months, days, top 5."""
    top_videos = list(
        VideoEngagementTotal.objects.filter(owner=user)
        .order_by("-views", "video_id")
        .values("video_id", "video__title", "views", "likes", "shares", "watch_seconds")[:5]
    )
    return _dashboard(
        rows=CreatorDailyStat.objects.filter(owner=user),
        top_videos=top_videos,
        video_count=capped_count(Video.objects.filter(owner=user).order_by("-created_at", "-id")),
        today=today or engagement_today(),
    )


def creator_dashboard_recount(*, user: User, today: date | None = None) -> CreatorDashboard:
    """The same figures summed straight from the per-video daily rows: slow on a big account, kept
    to check the sums against (tests) and as the bench's reference."""
    top_videos = list(
        VideoDailyStat.objects.filter(owner=user)
        .values("video_id", "video__title")
        .annotate(views=Sum("views"), likes=Sum("likes"), shares=Sum("shares"), watch_seconds=Sum("watch_seconds"))
        .order_by("-views", "video_id")[:5]
    )
    return _dashboard(
        rows=VideoDailyStat.objects.filter(owner=user),
        top_videos=top_videos,
        video_count=capped_count(Video.objects.filter(owner=user).order_by("-created_at", "-id")),
        today=today or engagement_today(),
    )


def _dashboard(
    *, rows: QuerySet, top_videos: list[dict], video_count: tuple[int, bool], today: date
) -> CreatorDashboard:
    this_month_start = _month_start(today)
    last_month_start = _month_start(this_month_start - timedelta(days=1))
    first_day = today - timedelta(days=ACTIVITY_DAYS - 1)
    mine = rows
    player = Q(platform=EngagementPlatform.PLAYER)

    # Per platform: all time, this month, last month (one scan of the owner's rows).
    def sums(prefix: str, when: Q | None) -> dict:
        def s(column: str, extra: Q | None = None) -> Coalesce:
            condition = when & extra if when is not None and extra is not None else (when or extra)
            return Coalesce(Sum(column, filter=condition), 0, output_field=IntegerField())

        return {
            f"{prefix}views": s("views"),
            f"{prefix}likes": s("likes"),
            f"{prefix}shares": s("shares"),
            f"{prefix}watch": s("watch_seconds"),
            f"{prefix}player_views": s("views", player),
        }

    this_q = Q(day__gte=this_month_start, day__lte=today)
    last_q = Q(day__gte=last_month_start, day__lt=this_month_start)
    by_platform_rows = (
        mine.values("platform")
        .annotate(**sums("all_", None), **sums("this_", this_q), **sums("last_", last_q))
        .order_by()
    )
    total, this_month, last_month = Figures(), Figures(), Figures()
    by_platform: dict[str, Figures] = {}
    for row in by_platform_rows:
        for prefix, figures in (("all_", total), ("this_", this_month), ("last_", last_month)):
            numbers = {
                "views": row[f"{prefix}views"],
                "likes": row[f"{prefix}likes"],
                "shares": row[f"{prefix}shares"],
                "watch_seconds": row[f"{prefix}watch"],
                "player_views": row[f"{prefix}player_views"],
            }
            figures.add(**numbers)
            if prefix == "all_":
                by_platform.setdefault(row["platform"], Figures()).add(**numbers)
    labels = dict(EngagementPlatform.choices)
    platforms = sorted(
        ((key, str(labels.get(key, key)), figures) for key, figures in by_platform.items()),
        key=lambda item: (-item[2].views, item[0]),
    )

    daily = {
        row["day"]: (row["views"], row["watch"])
        for row in mine.filter(day__gte=first_day, day__lte=today)
        .values("day")
        .annotate(views=Sum("views"), watch=Sum("watch_seconds"))
        .order_by()
    }
    days = [
        (first_day + timedelta(days=n), *daily.get(first_day + timedelta(days=n), (0, 0))) for n in range(ACTIVITY_DAYS)
    ]

    trends = [
        Trend("views", this_month.views, last_month.views),
        Trend("likes", this_month.likes, last_month.likes),
        Trend("shares", this_month.shares, last_month.shares),
        Trend("average_watch", this_month.average_watch_seconds, last_month.average_watch_seconds),
        Trend("engagement_rate", this_month.engagement_rate, last_month.engagement_rate),
    ]
    return CreatorDashboard(
        video_count=video_count[0],
        video_count_capped=video_count[1],
        total=total,
        this_month=this_month,
        last_month=last_month,
        platforms=platforms,
        top_videos=top_videos,
        days=days,
        trends=trends,
    )
