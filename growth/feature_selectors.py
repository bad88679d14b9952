"""Feature-request reads: the public board, similar titles, the staff RICE ranking."""

from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from billing.models import Subscription
from growth.counting import count_of
from growth.feature_models import FeatureComment, FeatureRequest, FeatureVote
from teams.models import User

SORTS = ("top", "newest", "trending")
TRENDING_DAYS = 7
ON_REQUEST = "feature_request"


def feature_request_board(
    *, sort: str = "top", status: str = "", category: str = "", search: str = ""
) -> QuerySet[FeatureRequest]:
    """The public board: live requests (merged ones left out), filtered, searched and sorted."""
    requests = FeatureRequest.objects.filter(merged_into__isnull=True).select_related("author")
    if status in FeatureRequest.Status.values:
        requests = requests.filter(status=status)
    if category in FeatureRequest.Category.values:
        requests = requests.filter(category=category)
    search = " ".join((search or "").split())[:100]
    if search:
        requests = requests.filter(Q(title__icontains=search) | Q(description__icontains=search))
    # Subqueries, not joins: comments and votes joined together would multiply each other.
    requests = requests.annotate(
        comment_count=count_of(FeatureComment.objects.filter(feature_request=OuterRef("pk")), by=ON_REQUEST)
    )
    if sort == "newest":
        return requests.order_by("-created_at", "-pk")
    if sort == "trending":
        since = timezone.now() - timedelta(days=TRENDING_DAYS)
        recent = count_of(
            FeatureVote.objects.filter(feature_request=OuterRef("pk"), value=1, created_at__gte=since),
            by="feature_request",
        )
        return requests.annotate(recent_votes=recent).order_by("-recent_votes", "-score", "-created_at", "-pk")
    return requests.order_by("-score", "-created_at", "-pk")


def feature_votes_of_user(*, user: User, feature_requests: list[FeatureRequest]) -> dict[int, int]:
    """The person's vote on each listed request ({request id: 1 or -1}), in one query."""
    if not getattr(user, "is_authenticated", False):
        return {}
    votes = FeatureVote.objects.filter(user=user, feature_request__in=[r.pk for r in feature_requests])
    return dict(votes.values_list("feature_request_id", "value"))


def feature_request_similar(*, title: str, limit: int = 5, exclude_id: int | None = None) -> list[FeatureRequest]:
    """Live requests whose titles look like `title` (trigram similarity on PostgreSQL, words elsewhere)."""
    title = " ".join((title or "").split())[:140]
    if len(title) < 3:
        return []
    requests = FeatureRequest.objects.filter(merged_into__isnull=True)
    if exclude_id:
        requests = requests.exclude(pk=exclude_id)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.lookups import TrigramSimilar
        from django.contrib.postgres.search import TrigramSimilarity

        # `title % '…'` uses the trigram index (pg_trgm's similarity threshold, 0.3); the order is by
        # similarity. The lookup is used as an expression: django.contrib.postgres is not installed.
        return list(
            requests.filter(TrigramSimilar(F("title"), Value(title)))
            .annotate(similarity=TrigramSimilarity("title", title))
            .order_by("-similarity", "-score")[:limit]
        )
    words = [w for w in title.split() if len(w) >= 3][:5]
    if not words:
        return []
    match = Q()
    for word in words:
        match |= Q(title__icontains=word)
    return list(requests.filter(match).order_by("-score", "-created_at")[:limit])


def feature_request_rice(*, weighted: bool = False, include_merged: bool = False) -> QuerySet[FeatureRequest]:
    """RICE: reach (up voters; paid-plan voters weighted), score = reach * impact * confidence / effort."""
    if weighted:
        paid = Exists(Subscription.objects.live().filter(user=OuterRef("votes__user"), plan__monthly_price_cents__gt=0))
        weight = Case(
            When(paid, then=Value(settings.GROWTH_RICE_PAID_VOTER_WEIGHT)),
            default=Value(1),
            output_field=IntegerField(),
        )
        reach = Coalesce(Sum(weight, filter=Q(votes__value=1)), 0)
    else:
        reach = Count("votes", filter=Q(votes__value=1))
    decimal = DecimalField(max_digits=14, decimal_places=2)
    score = ExpressionWrapper(
        Cast(F("reach"), decimal) * Cast(F("impact"), decimal) * F("confidence") / Cast(F("effort"), decimal),
        output_field=decimal,
    )
    requests = (
        FeatureRequest.objects.all() if include_merged else FeatureRequest.objects.filter(merged_into__isnull=True)
    )
    return requests.annotate(reach=reach).annotate(rice_score=score).order_by("-rice_score", "-score", "pk")
