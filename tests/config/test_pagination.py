"""Keyset pagination (config.pagination): pages and API lists are walked by cursor, through rows with
equal timestamps, forwards and back, with a count capped where a total is shown and a query count
that does not grow with the list."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from config.pagination import COUNT_CAP, KeysetPaginator, encode_cursor
from teams.models import Membership
from tests.factories import UserFactory
from tests.teams.factories import MembershipFactory
from tests.videos.factories import TemplateFactory
from videos.models import Template, Video

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'<a rel="next" href="\?([^"]+)"')
PREVIOUS = re.compile(r'<a rel="prev" href="\?([^"]+)"')
CARD = re.compile(r'data-video="(\d+)"')


def videos_in_threes(owner, count: int, *, team=None, status=Video.Status.READY) -> list[int]:
    """`count` videos, three to a timestamp; their ids in list order (newest first, then higher id)."""
    now = timezone.now()
    Video.objects.bulk_create(
        Video(owner=owner, team=team, title=f"Clip {i}", status=status, created_at=now - timedelta(minutes=i // 3))
        for i in range(count)
    )
    videos = Video.objects.filter(owner=owner, team=team).order_by("-created_at", "-pk")
    return list(videos.values_list("pk", flat=True))


def walk_api(client, url: str, key: str = "next") -> tuple[list[dict], list[dict]]:
    """Every page from `url` on, following `key` links: (the pages' bodies, the last body)."""
    bodies = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        bodies.append(response.json())
        url = bodies[-1][key]
    return bodies, bodies[-1]


def test_the_api_pages_through_equal_timestamps_without_a_duplicate_or_a_gap(creator_api, creator):
    expected = videos_in_threes(creator, 47)
    pages, last = walk_api(creator_api, reverse("api-video-list") + "?page_size=5")
    assert [video["id"] for body in pages for video in body["results"]] == expected
    assert len(pages) == 10 and last["next"] is None and pages[0]["previous"] is None
    # And back from the last page, through the previous links, to the first.
    back, first = walk_api(creator_api, last["previous"], key="previous")
    walked_back = [video["id"] for body in reversed(back) for video in body["results"]]
    assert walked_back + [video["id"] for video in last["results"]] == expected
    assert first["results"] == pages[0]["results"]


def test_a_page_size_of_one_walks_an_ordering_with_an_annotation_and_a_related_field(
    api_client_for, creator, team, editor, viewer, team_admin
):
    MembershipFactory(team=team, user=UserFactory(email="bea@example.com"), role=Membership.Role.EDITOR)
    pages, _last = walk_api(api_client_for(creator), reverse("api-member-list", args=[team.slug]) + "?page_size=1")
    assert [body["results"][0]["email"] for body in pages] == [
        "creator@example.com",
        "ada@example.com",
        "bea@example.com",
        "eddie@example.com",
        "vera@example.com",
    ]


def test_mixed_directions_page_templates_with_equal_usage_counts(creator_api):
    TemplateFactory.create_batch(11, usage_count=5)
    active = Template.objects.filter(is_active=True)
    expected = list(active.order_by("-usage_count", "pk").values_list("slug", flat=True))
    pages, _last = walk_api(creator_api, reverse("api-template-list") + "?page_size=4")
    assert [template["slug"] for body in pages for template in body["results"]] == expected


def test_the_api_counts_up_to_the_cap_and_says_when_there_are_more(creator_api, creator):
    videos_in_threes(creator, 3)
    body = creator_api.get(reverse("api-video-list")).json()
    assert (body["count"], body["count_capped"]) == (3, False)
    videos_in_threes(creator, COUNT_CAP)
    body = creator_api.get(reverse("api-video-list")).json()
    assert (body["count"], body["count_capped"]) == (COUNT_CAP, True)


def test_a_forged_cursor_is_a_400_on_the_api_and_the_first_page_on_a_page(creator_api, creator_client, creator):
    expected = videos_in_threes(creator, 25)
    for forged in ["nonsense", encode_cursor(["not a date", 1]), encode_cursor([1])]:
        response = creator_api.get(reverse("api-video-list"), {"cursor": forged})
        assert response.status_code == 400 and "cursor" in response.json()
        page = creator_client.get(reverse("videos:list"), {"cursor": forged})
        assert page.status_code == 200
        assert [int(pk) for pk in CARD.findall(page.content.decode())] == expected[:20]


def test_the_video_page_links_to_older_and_newer_pages_keeping_the_filter(creator_client, creator):
    expected = videos_in_threes(creator, 45, status=Video.Status.FAILED)
    videos_in_threes(creator, 5, team=None, status=Video.Status.DRAFT)  # not in the filtered list
    url = reverse("videos:list")
    first = creator_client.get(url, {"status": "failed"}).content.decode()
    assert "Newer" not in first and 'rel="prev"' not in first
    second_query = NEXT.search(first).group(1)
    assert second_query.startswith("status=failed&amp;cursor=")
    second = creator_client.get(f"{url}?{second_query.replace('&amp;', '&')}").content.decode()
    third = creator_client.get(f"{url}?{NEXT.search(second).group(1).replace('&amp;', '&')}").content.decode()
    seen = [int(pk) for page in (first, second, third) for pk in CARD.findall(page)]
    assert seen == expected and not NEXT.search(third)
    # Newer from the third page is the second page again.
    newer = creator_client.get(f"{url}?{PREVIOUS.search(third).group(1).replace('&amp;', '&')}").content.decode()
    assert CARD.findall(newer) == CARD.findall(second)


def test_the_video_page_shows_a_capped_count(creator_client, creator):
    videos_in_threes(creator, 3)
    assert "3 videos" in creator_client.get(reverse("videos:list")).content.decode()
    videos_in_threes(creator, COUNT_CAP)
    body = creator_client.get(reverse("videos:list")).content.decode()
    assert "1,000+ videos" in body and "1,003" not in body


def test_the_video_page_and_endpoint_keep_their_query_count_as_the_list_grows(
    creator_client, creator_api, creator, django_assert_max_num_queries
):
    videos_in_threes(creator, 3)
    # Each request clears the connection's query log: the counts are taken before the next one.
    with django_assert_max_num_queries(8) as captured:
        creator_client.get(reverse("videos:list"))
    page_queries = len(captured.captured_queries)
    with django_assert_max_num_queries(8) as captured:
        creator_api.get(reverse("api-video-list"))
    endpoint_queries = len(captured.captured_queries)
    videos_in_threes(creator, 80)
    first = creator_client.get(reverse("videos:list")).content.decode()
    older = NEXT.search(first).group(1).replace("&amp;", "&")
    for url in [reverse("videos:list"), f"{reverse('videos:list')}?{older}"]:
        with django_assert_max_num_queries(page_queries):
            assert creator_client.get(url).status_code == 200
    next_page = creator_api.get(reverse("api-video-list")).json()["next"]
    for url in [reverse("api-video-list"), next_page]:
        with django_assert_max_num_queries(endpoint_queries):
            assert creator_api.get(url).status_code == 200


def test_the_inbox_pages_by_cursor(creator_client, creator):
    from teams.models import Notification

    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(recipient=creator, kind="mention", created_at=now - timedelta(minutes=i // 2)) for i in range(30)
    )
    first = creator_client.get(reverse("notification_list")).content.decode()
    older = NEXT.search(first).group(1).replace("&amp;", "&")
    second = creator_client.get(f"{reverse('notification_list')}?{older}").content.decode()
    assert PREVIOUS.search(second) and not NEXT.search(second)


def test_the_paginator_needs_a_field_ordering():
    from django.core.exceptions import ImproperlyConfigured
    from django.db.models import F

    with pytest.raises(ImproperlyConfigured):
        KeysetPaginator(Video.objects.order_by(F("created_at").desc()), 20)


def test_a_ranked_list_reads_its_keys_bare_and_then_the_pages_rows_with_their_joins(creator, django_assert_num_queries):
    # A computed first key (a search's rank) and joins that the sort does not need: the keys are read
    # without the joins, then the page's rows with them; the pages are those of the ranked order.
    from django.db.models import Case, IntegerField, Value, When

    ids = videos_in_threes(creator, 23)
    ranked = (
        Video.objects.filter(owner=creator)
        .annotate(rank=Case(When(pk__in=ids[10:15], then=Value(0)), default=Value(1), output_field=IntegerField()))
        .select_related("owner", "template")
        .order_by("rank", "-created_at", "-pk")
    )
    expected = ids[10:15] + ids[:10] + ids[15:]
    paginator = KeysetPaginator(ranked, 4)
    seen, cursor = [], None
    while True:
        with django_assert_num_queries(2) as captured:
            page = paginator.page(cursor)
            owners = {video.owner.email for video in page}  # joined already: no query per row
        bare, rows = (query["sql"] for query in captured.captured_queries)
        assert "teams_user" not in bare and "teams_user" in rows
        assert owners == {creator.email}
        seen += [video.pk for video in page]
        if not page.has_next:
            break
        cursor = page.next_cursor
    assert seen == expected
    back = paginator.page(paginator.page(cursor).previous_cursor)
    assert [video.pk for video in back] == expected[-7:-3]


@pytest.mark.django_db
def test_a_count_its_maker_knows_asks_no_query_and_a_derived_list_counts_again(django_assert_num_queries):
    from config.pagination import capped_count, count_known
    from teams.models import User

    everyone = count_known(User.objects.order_by("-date_joined", "-pk"), 1_234)
    with django_assert_num_queries(0):
        assert capped_count(everyone) == (1_000, True)
    with django_assert_num_queries(1):
        assert capped_count(everyone.filter(pk=-1)) == (0, False)
