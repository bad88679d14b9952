"""Reads: the lists and lookups pages, the API and the admin share."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.db import connection
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Upper
from django.db.models.lookups import Exact

from billing import limits
from config.errors import NotFound
from config.pagination import COUNT_CAP, count_known
from teams.models import Team, User
from teams.permissions import ROLE_ACTIONS, Action
from videos.models import BrandingProfile, Template, Video, VideoVersion

TEMPLATE_SORTS = {
    "popular": ["-usage_count", "pk"],
    "recent": ["-created_at", "-pk"],
    "duration": ["duration_seconds", "pk"],
    "-duration": ["-duration_seconds", "pk"],
}


def account_for(*, user: User, team: Team | None) -> User | Team:
    """The account whose plan governs work in a workspace: the team, or the person."""
    return team if team is not None else user


def upload_size_ceiling_mb(*, user: User) -> int | None:
    """The largest upload (MB) any workspace the user may create videos in allows; None: unlimited."""
    if not getattr(user, "is_authenticated", False):
        return 0
    roles = [role for role, actions in ROLE_ACTIONS.items() if Action.CREATE in actions]
    teams = Team.objects.filter(memberships__user=user, memberships__role__in=roles)
    sizes = [limits.value(account, limits.Limit.UPLOAD_SIZE_MB) for account in [user, *teams]]
    return None if any(size is None for size in sizes) else max(int(size) for size in sizes)


def template_list(*, category: str = "", tag: str = "", sort: str = "popular", search: str = "") -> QuerySet[Template]:
    """Active templates, filtered by category, a whole tag or a word of the title, and sorted."""
    templates = Template.objects.filter(is_active=True)
    if category:
        templates = templates.filter(category=category)
    if tag:
        templates = templates.filter(tags__icontains=f",{tag.strip().lower()},")
    if search:
        templates = templates.filter(Q(title__icontains=search) | Q(tags__icontains=search.strip().lower()))
    return templates.order_by(*TEMPLATE_SORTS.get(sort, TEMPLATE_SORTS["popular"]))


def template_get(*, slug: str) -> Template:
    """An active template by slug, or NotFound."""
    template = Template.objects.filter(slug=slug, is_active=True).first()
    if template is None:
        raise NotFound()
    return template


def template_locked(template: Template, *, pro_allowed: bool) -> bool:
    """The one rule for a lock: a Pro template, for an account whose plan lacks Pro templates.

    `pro_allowed` is the account's `Limit.PRO_TEMPLATES`, asked once for a whole list.
    """
    return template.is_pro and not pro_allowed


def template_is_locked(*, account: User | Team, template: Template) -> bool:
    """Whether the account's plan keeps it from using this template (a Pro template on Free)."""
    return template_locked(template, pro_allowed=limits.allows(account, limits.Limit.PRO_TEMPLATES))


# A title search ranks the newest matches only: this many, one more than the count counts, so the
# capped count of the ranked list still tells "1,000+". Ranking every match would read every one of
# them (14,000 rows for "tips" at 100,000 videos: 40 ms); the newest 1,001 are read from the
# workspace's (created_at, id) index, or found through the trigram index when they are few.
SEARCH_RANKED_MATCHES = COUNT_CAP + 1


class SearchRank:
    """The relevance tiers of a title search, best first (ties: newest first)."""

    EXACT = 0  # the title is the phrase
    PREFIX = 1  # the title starts with it
    WORD = 2  # it is a whole word (or words) of the title
    SUBSTRING = 3  # it is somewhere in the title


def _whole_word_pattern(term: str) -> str:
    """A case-insensitive regex for `term` standing as whole words: PostgreSQL's word boundary is
    `\\y`, Python's (SQLite runs regexes through Python's `re`) is `\\b`."""
    boundary = r"\y" if connection.vendor == "postgresql" else r"\b"
    start = boundary if re.match(r"\w", term[0]) else ""
    end = boundary if re.match(r"\w", term[-1]) else ""
    return f"{start}{re.escape(term)}{end}"


def search_rank(term: str) -> Case:
    """The SearchRank tier of a title for `term`, in SQL; for titles that contain it."""
    return Case(
        When(Exact(Upper("title"), Upper(Value(term))), then=Value(SearchRank.EXACT)),
        When(title__istartswith=term, then=Value(SearchRank.PREFIX)),
        When(title__iregex=_whole_word_pattern(term), then=Value(SearchRank.WORD)),
        default=Value(SearchRank.SUBSTRING),
        output_field=IntegerField(),
    )


def _among(pks: list[int]) -> Q:
    """Rows whose id is one of `pks` (up to SEARCH_RANKED_MATCHES of them).

    On PostgreSQL as `id = ANY(%s)` with the ids as one array parameter: as `IN (%s, %s, …)` each of a
    thousand ids is a parameter of its own to prepare, quote and parse, in every query that asks.
    """
    if connection.vendor != "postgresql":
        return Q(pk__in=pks)
    # A raw parameter: psycopg writes the list as one array. As a Value with an ArrayField output,
    # Django would prepare each of the thousand ids through the field first (~3 ms a query).
    ids = RawSQL("%s::bigint[]", (list(pks),), output_field=BooleanField())
    return Q(Func(F("pk"), ids, template="%(expressions)s)", arg_joiner=" = ANY(", output_field=BooleanField()))


def _tier_of(tiers: dict[int, list[int]]) -> Case | Value:
    """Each candidate's SearchRank tier, as found once by the candidates' query, by id.

    Evaluating `search_rank` again on every comparison of a cursor's position (up to four a row, one of
    them a regular expression) cost more than reading the rows. The commonest tier is the default, so
    the id lists in the SQL stay short (often there are none: "tips" is a whole word of every match).
    """
    if not tiers:
        return Value(SearchRank.SUBSTRING, output_field=IntegerField())
    commonest = max(tiers, key=lambda tier: len(tiers[tier]))
    others = [When(_among(pks), then=Value(tier)) for tier, pks in sorted(tiers.items()) if tier != commonest]
    if not others:
        return Value(commonest, output_field=IntegerField())
    return Case(*others, default=Value(commonest), output_field=IntegerField())


def video_list_for_workspace(
    *, user: User, team: Team | None, search: str = "", status: str = "", related: tuple[str, ...] = ()
) -> QuerySet[Video]:
    """The videos of a workspace (a team's, or the person's own personal ones), newest first.

    With a search: the titles that contain it, ranked (see SearchRank), then newest first, among the
    newest SEARCH_RANKED_MATCHES matches (narrow the search to reach older ones). The ranking is the
    `search_rank` annotation, and the ordering (`search_rank`, `-created_at`, `-pk`) is what the
    keyset cursor carries. The candidates are found here, once (one query, from the workspace's
    index), with their tier: the page and its capped count then look up those ids rather than each
    find them again (two reads of some 7,000 index entries and rows for a common word), and the tier is
    an id lookup (see `_tier_of`) rather than a regular expression per row and comparison. A ranked
    list carries its count (the number of candidates, see `count_known`); `related` adds relations to
    select, so a caller needs no clone that would lose it.
    """
    if team is not None:
        videos = Video.objects.filter(team=team)
    else:
        videos = Video.objects.filter(owner=user, team__isnull=True)
    if status:
        videos = videos.filter(status=status)
    ordering = ["-created_at", "-pk"]
    term = search.strip()
    if term:
        matches = videos.filter(title__icontains=term).order_by(*ordering).annotate(tier=search_rank(term))
        tiers: dict[int, list[int]] = {}
        for pk, tier in matches.values_list("pk", "tier")[:SEARCH_RANKED_MATCHES]:
            tiers.setdefault(tier, []).append(pk)
        candidates = [pk for pks in tiers.values() for pk in pks]
        # Within the workspace still: where every match has the same tier, the rank is a constant and the
        # page is read in the workspace index's order, which then stays among the workspace's own rows.
        videos = videos.filter(_among(candidates)).annotate(search_rank=_tier_of(tiers))
        ordering = ["search_rank", *ordering]
        # Its rows are exactly the candidates: their number is the list's count, asked of nobody.
        listed = videos.select_related("owner", "template", "team", *related).order_by(*ordering)
        return count_known(listed, len(candidates))
    return videos.select_related("owner", "template", "team", *related).order_by(*ordering)


def version_list_for_video(*, video: Video) -> QuerySet[VideoVersion]:
    """Every version of a video, newest first."""
    return video.versions.select_related("created_by", "restored_from").order_by("-number")


@dataclass(frozen=True)
class VersionComparison:
    older: VideoVersion
    newer: VideoVersion
    size_difference_mb: float | None
    duration_difference_seconds: float | None
    time_between: timedelta

    @property
    def same_author(self) -> bool:
        return self.older.created_by_id == self.newer.created_by_id


def version_compare(*, first: VideoVersion, second: VideoVersion) -> VersionComparison:
    """Differences from the older to the newer of two versions (newer minus older)."""
    older, newer = sorted([first, second], key=lambda version: version.number)
    size = None
    if older.size_bytes is not None and newer.size_bytes is not None:
        size = round((newer.size_bytes - older.size_bytes) / (1024 * 1024), 2)
    duration = None
    if older.duration_seconds is not None and newer.duration_seconds is not None:
        duration = round(newer.duration_seconds - older.duration_seconds, 2)
    return VersionComparison(
        older=older,
        newer=newer,
        size_difference_mb=size,
        duration_difference_seconds=duration,
        time_between=newer.created_at - older.created_at,
    )


def branding_profile_list_for_workspace(*, user: User, team: Team | None) -> QuerySet[BrandingProfile]:
    """The branding profiles of a workspace: the team's (the caller checked membership), or the person's own."""
    if team is not None:
        return BrandingProfile.objects.filter(team=team)
    return BrandingProfile.objects.filter(owner=user, team__isnull=True)
