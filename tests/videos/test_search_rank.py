"""Ranked title search (videos.selectors.video_list_for_workspace): an exact title first, then titles
that start with the phrase, then titles holding it as a whole word, then anywhere; newest first within
a tier. The page and the API walk that order by cursor, with a query count that does not grow."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from config.pagination import COUNT_CAP
from videos.models import Video
from videos.selectors import SEARCH_RANKED_MATCHES, SearchRank, video_list_for_workspace

pytestmark = pytest.mark.django_db

CARD = re.compile(r'data-video="(\d+)"')
NEXT = re.compile(r'<a rel="next" href="\?([^"]+)"')

# Oldest first as created; the expected ranked order is by tier, then newest first.
TITLES = [
    ("Old tips, and more", SearchRank.WORD),
    ("Tips", SearchRank.EXACT),
    ("Multitipster", SearchRank.SUBSTRING),
    ("tips for summer", SearchRank.PREFIX),
    ("Ten TIPS", SearchRank.WORD),
    ("Tipsy dance", SearchRank.PREFIX),
    ("Quick (tips)", SearchRank.WORD),
    ("ZZ tipsy", SearchRank.SUBSTRING),
    ("Unrelated", None),
    ("TIPS", SearchRank.EXACT),
]


def ranked_videos(owner, *, team=None) -> list[int]:
    """The TITLES as videos a minute apart (two word matches at the same minute); their ids ranked."""
    now = timezone.now()
    made = []
    for minute, (title, tier) in enumerate(TITLES):
        created_at = now - timedelta(minutes=len(TITLES) - (4 if minute == 6 else minute))  # a tie in a tier
        made.append((Video.objects.create(owner=owner, team=team, title=title, created_at=created_at), tier))
    matching = [(tier, video) for video, tier in made if tier is not None]
    matching.sort(key=lambda pair: (pair[0], -pair[1].created_at.timestamp(), -pair[1].pk))
    return [video.pk for _tier, video in matching]


def test_the_ranking_puts_exact_then_prefix_then_word_then_substring_newest_first(creator):
    expected = ranked_videos(creator)
    videos = list(video_list_for_workspace(user=creator, team=None, search="  tips "))
    assert [video.pk for video in videos] == expected
    assert [video.search_rank for video in videos] == sorted(tier for _title, tier in TITLES if tier is not None)
    assert [video.title for video in videos][:4] == ["TIPS", "Tips", "Tipsy dance", "tips for summer"]


def test_a_phrase_is_ranked_as_a_whole_and_its_punctuation_is_literal(creator):
    for title in ["Quick tips", "Quick tipsy", "Quick tips!", "quick-tips", "Very quick tips"]:
        Video.objects.create(owner=creator, title=title)
    ranks = {
        video.title: video.search_rank
        for video in video_list_for_workspace(user=creator, team=None, search="quick tips")
    }
    assert ranks == {
        "Quick tips": SearchRank.EXACT,
        "Quick tipsy": SearchRank.PREFIX,
        "Quick tips!": SearchRank.PREFIX,
        "Very quick tips": SearchRank.WORD,
    }
    assert [video.title for video in video_list_for_workspace(user=creator, team=None, search="tips!")] == [
        "Quick tips!"
    ]


def test_the_api_cursor_walks_the_ranked_order_both_ways_without_a_duplicate_or_a_gap(creator_api, creator):
    expected = ranked_videos(creator)
    url = reverse("api-video-list") + "?search=tips&page_size=2"
    pages = []
    while url:
        body = creator_api.get(url).json()
        pages.append(body)
        url = body["next"]
    assert [video["id"] for body in pages for video in body["results"]] == expected
    assert pages[0]["count"] == len(expected) and not pages[0]["count_capped"]
    back, url = [], pages[-1]["previous"]
    while url:
        body = creator_api.get(url).json()
        back.append(body)
        url = body["previous"]
    walked = [video["id"] for body in reversed(back) for video in body["results"]]
    assert walked + [video["id"] for video in pages[-1]["results"]] == expected


def test_the_page_shows_the_ranked_order_and_its_older_link_continues_it(creator_client, creator, team):
    expected = ranked_videos(creator)
    ranked_videos(creator, team=team)  # another workspace's matches stay out
    for extra in range(20):
        Video.objects.create(owner=creator, title=f"Zip tips {extra}", created_at=timezone.now() - timedelta(days=1))
    url = reverse("videos:list")
    first = creator_client.get(url, {"q": "tips"}).content.decode()
    older = NEXT.search(first).group(1).replace("&amp;", "&")
    assert older.startswith("q=tips&cursor=")
    second = creator_client.get(f"{url}?{older}").content.decode()
    seen = [int(pk) for page in (first, second) for pk in CARD.findall(page)]
    assert len(seen) == len(set(seen)) == len(expected) + 20
    assert seen[:4] == expected[:4]  # exact and prefix matches before the newer word matches
    assert "29 videos" in first


def test_a_search_keeps_its_query_count_as_matches_grow(
    creator_client, creator_api, creator, django_assert_max_num_queries
):
    Video.objects.create(owner=creator, title="Tips")
    # A ranked page counts its candidates, found once by the selector: no count query of its own.
    with django_assert_max_num_queries(7) as captured:
        creator_client.get(reverse("videos:list"), {"q": "tips"})
    page_queries = len(captured.captured_queries)
    with django_assert_max_num_queries(7) as captured:
        creator_api.get(reverse("api-video-list"), {"search": "tips"})
    endpoint_queries = len(captured.captured_queries)
    ranked_videos(creator)
    Video.objects.bulk_create(Video(owner=creator, title=f"More tips {n}") for n in range(60))
    first = creator_client.get(reverse("videos:list"), {"q": "tips"}).content.decode()
    older = NEXT.search(first).group(1).replace("&amp;", "&")
    for url in [f"{reverse('videos:list')}?q=tips", f"{reverse('videos:list')}?{older}"]:
        with django_assert_max_num_queries(page_queries):
            assert creator_client.get(url).status_code == 200
    next_page = creator_api.get(reverse("api-video-list"), {"search": "tips"}).json()["next"]
    for url in [f"{reverse('api-video-list')}?search=tips", next_page]:
        with django_assert_max_num_queries(endpoint_queries):
            assert creator_api.get(url).status_code == 200


def test_a_search_ranks_the_newest_matches_and_counts_past_them(creator_api, creator):
    now = timezone.now()
    oldest_exact = Video.objects.create(owner=creator, title="Tips", created_at=now - timedelta(days=30))
    Video.objects.bulk_create(
        Video(owner=creator, title=f"Clip tips {n}", created_at=now - timedelta(minutes=n))
        for n in range(SEARCH_RANKED_MATCHES)
    )
    body = creator_api.get(reverse("api-video-list"), {"search": "tips", "page_size": 100}).json()
    assert (body["count"], body["count_capped"]) == (COUNT_CAP, True)
    # The exact title is older than the newest SEARCH_RANKED_MATCHES matches: outside the ranked set.
    assert oldest_exact.pk not in [video["id"] for video in body["results"]]
    Video.objects.filter(title__startswith="Clip tips").order_by("created_at")[:1].get().delete()
    body = creator_api.get(reverse("api-video-list"), {"search": "tips", "page_size": 100}).json()
    assert body["results"][0]["id"] == oldest_exact.pk
