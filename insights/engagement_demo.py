"""Engagement rows for the demo creator's videos over the last two months, so the dashboard is
lively on `make run`; and a first segment recompute, so the ops console's segments are filled.

Deterministic (a seeded generator) and idempotent: an existing day's row is left alone.
"""

import random
from datetime import timedelta

from insights.engagement_models import VideoDailyStat, engagement_today
from insights.services.engagement import engagement_rollups_rebuild
from insights.services.segments import customer_profiles_recompute
from teams.models import User
from videos.models import Video

DAYS = 60
# (platform, typical views a day, likes per view, shares per view)
PLATFORMS = [
    ("player", 6, 0.0, 0.0),
    ("youtube", 40, 0.06, 0.01),
    ("tiktok", 90, 0.09, 0.03),
    ("instagram", 25, 0.08, 0.02),
]


def load(*, creator: User, staff: User) -> None:
    """Give each of the demo creator's videos two months of daily views, likes, shares and watch time."""
    videos = list(Video.objects.filter(owner=creator).order_by("pk")[:12])
    today = engagement_today()
    rows = []
    for index, video in enumerate(videos):
        rng = random.Random(f"demo-engagement-{index}")
        popularity = 1.0 / (index + 1) ** 0.6
        for platform, per_day, like_rate, share_rate in PLATFORMS[: 1 + index % len(PLATFORMS) + 1]:
            for days_ago in range(DAYS):
                # Views grow over the two months, so this month beats last month.
                growth = 0.6 + 0.8 * (DAYS - days_ago) / DAYS
                views = int(rng.gauss(per_day, per_day / 3) * popularity * growth)
                if views <= 0:
                    continue
                rows.append(
                    VideoDailyStat(
                        video=video,
                        owner=creator,
                        platform=platform,
                        day=today - timedelta(days=days_ago),
                        views=views,
                        likes=int(views * like_rate * rng.uniform(0.5, 1.5)),
                        shares=int(views * share_rate * rng.uniform(0.5, 1.5)),
                        watch_seconds=int(views * rng.uniform(6, 14)) if platform == "player" else 0,
                    )
                )
    VideoDailyStat.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    engagement_rollups_rebuild(owner_ids=[creator.pk])
    customer_profiles_recompute()
