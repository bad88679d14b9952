"""Content: videos created, their average length, the templates used and where videos were published."""

from datetime import date

from django.db.models import Count, Q, Sum

from insights.metrics.periods import day_end, day_start
from videos.models import Video
from videos.publishing_models import PublicationTarget

TOP_TEMPLATES = 10


def content_figures(*, start: date, end: date) -> dict[str, object]:
    """Content over the days `start` to `end`: videos created; their total duration and how many have
    one (average length = total ÷ that count, so days add up); videos created per template (the
    most used, by title); and publications per platform (targets published in the period)."""
    since, until = day_start(start), day_end(end)
    videos = Video.objects.filter(created_at__gte=since, created_at__lt=until).order_by()
    totals = videos.aggregate(
        created=Count("pk"),
        duration_sum=Sum("duration_seconds", default=0.0),
        with_duration=Count("pk", filter=Q(duration_seconds__isnull=False)),
    )
    templates = (
        videos.filter(template__isnull=False)
        .values_list("template__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "template__title")[:TOP_TEMPLATES]
    )
    platforms = (
        PublicationTarget.objects.filter(
            status=PublicationTarget.Status.PUBLISHED, published_at__gte=since, published_at__lt=until
        )
        .values_list("platform")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {
        "videos_created": totals["created"],
        "duration_sum": round(totals["duration_sum"] or 0, 1),
        "with_duration": totals["with_duration"],
        "templates": dict(templates),
        "platforms": dict(platforms),
    }


def average_length(*, duration_sum: float, with_duration: int) -> float | None:
    """Average video length, in seconds: total duration of the videos created ÷ those with a known duration."""
    return round(duration_sum / with_duration, 1) if with_duration else None
