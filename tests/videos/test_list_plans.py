"""The query plans of the video lists on PostgreSQL: every list, search and filter query a page, the
API or the ops console runs reads its index, and none scans the whole videos table.

The table holds 60,000 videos of 300 people (generate_series), analysed, so the planner chooses as it
would in production rather than scanning a table too small to bother with an index.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.pagination import cursor_for
from teams.workspaces import SESSION_KEY
from videos.models import Video

SEQUENTIAL_SCAN = re.compile(r"Seq Scan on videos_video\b(?!version)")

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="query plans are PostgreSQL's")


@pytest.fixture
def many_videos(creator, team):
    """60,000 videos: 1,000 of the creator's own, 1,000 in the creator's team, the rest of 299 others;
    one in fifty failed, one in a thousand called "Zebra …", a minute apart."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO teams_user (password, is_superuser, email, display_name, language, time_zone, is_staff,"
            " is_active, date_joined) SELECT '!', false, 'other' || n || '@example.com', 'Other ' || n, 'en', 'UTC',"
            " false, true, now() FROM generate_series(1, 299) n"
        )
        cursor.execute("SELECT min(id) FROM teams_user WHERE email LIKE 'other%%@example.com'")
        (others,) = cursor.fetchone()
        cursor.execute(
            "INSERT INTO videos_video (title, source, status, status_message, customization, file, thumbnail,"
            " created_at, updated_at, owner_id, team_id)"
            " SELECT CASE WHEN mod(n, 1000) = 0 THEN 'Zebra tips ' ELSE 'Clip ' END || n, 'upload',"
            " CASE WHEN mod(n, 50) = 0 THEN 'failed' ELSE 'ready' END, '', '{}', '', '',"
            " now() - n * interval '1 minute', now(),"
            " CASE WHEN mod(n, 60) IN (0, 30) THEN %s ELSE %s + mod(n, 299) END,"
            " CASE WHEN mod(n, 60) = 30 THEN %s END FROM generate_series(1, 60000) n",
            [creator.pk, others, team.pk],
        )
        cursor.execute("ANALYZE videos_video")
        cursor.execute("ANALYZE teams_user")


def plans(client, url: str) -> list[str]:
    """The plan of every query of one request that reads the videos table."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    found = []
    for query in captured.captured_queries:
        if query["sql"].startswith("SELECT") and '"videos_video"' in query["sql"]:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN {query['sql']}")
                found.append("\n".join(row[0] for row in cursor.fetchall()))
    assert found, f"{url} read no videos"
    return found


def assert_reads(client, url: str, *indexes: str) -> None:
    found = plans(client, url)
    for plan in found:
        assert not SEQUENTIAL_SCAN.search(plan), f"{url}:\n{plan}"
    for index in indexes:
        assert any(index in plan for plan in found), f"{url} does not use {index}:\n" + "\n\n".join(found)


def deep_cursor(**filters) -> str:
    position = Video.objects.filter(**filters).order_by("-created_at", "-pk")[700]
    return cursor_for(position, ordering=["-created_at", "-pk"])


def test_the_video_page_reads_its_workspace_index_at_any_depth(many_videos, creator_client, creator):
    url = reverse("videos:list")
    assert_reads(creator_client, url, "videos_video_personal_recent")
    assert_reads(
        creator_client, f"{url}?cursor={deep_cursor(owner=creator, team=None)}", "videos_video_personal_recent"
    )


def test_the_status_filter_reads_the_status_index(many_videos, creator_client):
    assert_reads(creator_client, reverse("videos:list") + "?status=failed", "videos_video_personal_status")


def test_the_title_search_reads_the_trigram_index(many_videos, creator_client, creator_api, staff_client):
    assert_reads(creator_client, reverse("videos:list") + "?q=zebra", "videos_video_title_upper_trgm")
    assert_reads(creator_api, reverse("api-video-list") + "?search=zebra", "videos_video_title_upper_trgm")
    assert_reads(staff_client, reverse("admin:videos_video_changelist") + "?q=zebra", "videos_video_title_upper_trgm")


def test_a_search_with_many_matches_ranks_the_newest_read_from_the_workspace_index(
    many_videos, creator_client, creator_api
):
    # Nearly every title holds "clip": the ranked candidates (the newest SEARCH_RANKED_MATCHES) are read
    # in the workspace index's order, on the first page and past a cursor, never by a scan of the table.
    assert_reads(creator_client, reverse("videos:list") + "?q=clip", "videos_video_personal_recent")
    first = creator_api.get(reverse("api-video-list") + "?search=clip").json()
    assert first["count"] > 900 and first["next"]
    assert_reads(creator_api, first["next"], "videos_video_personal_recent")
    assert_reads(creator_api, reverse("api-video-list") + "?search=clip&status=failed", "videos_video_personal_status")


def test_the_team_workspace_reads_the_team_index(many_videos, creator_client, creator_api, team):
    session = creator_client.session
    session[SESSION_KEY] = team.pk
    session.save()
    assert_reads(creator_client, reverse("videos:list"), "videos_video_team_recent")
    assert_reads(creator_client, reverse("videos:list") + "?status=failed", "videos_video_team_status")
    # A search's candidates too, newest first, rather than every title of the team sorted.
    assert_reads(creator_client, reverse("videos:list") + "?q=clip", "videos_video_team_recent")
    assert_reads(creator_api, f"{reverse('api-video-list')}?team={team.slug}", "videos_video_team_recent")


def test_the_endpoint_reads_its_index_at_any_depth(many_videos, creator_api, creator):
    url = reverse("api-video-list")
    assert_reads(creator_api, url, "videos_video_personal_recent")
    assert_reads(creator_api, f"{url}?cursor={deep_cursor(owner=creator, team=None)}", "videos_video_personal_recent")


def test_the_ops_console_reads_indexes_for_its_order_filters_and_owner_search(many_videos, staff_client, creator):
    url = reverse("admin:videos_video_changelist")
    assert_reads(staff_client, url, "videos_video_recent")
    assert_reads(staff_client, f"{url}?status__exact=failed", "videos_video_status")
    assert_reads(staff_client, f"{url}?q={creator.email}", "videos_video_owner_recent")


def test_a_ranked_page_stays_among_the_workspaces_rows_and_evaluates_no_rank_per_comparison(
    many_videos, creator_client, creator_api
):
    # Past a cursor, the page is read among the candidates: by primary key or the workspace's own
    # index, never by walking everybody's videos; and the tiers, found once, are not a regex per row.
    first = creator_api.get(reverse("api-video-list") + "?search=clip").json()
    for url in [reverse("videos:list") + "?q=clip", first["next"]]:
        client = creator_client if url.startswith(reverse("videos:list")) else creator_api
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        ranked = [query["sql"] for query in captured.captured_queries if "= ANY(" in query["sql"]]
        assert ranked and not any("REGEXP" in sql.upper() or "~*" in sql for sql in ranked), ranked
        for plan in plans(client, url):
            assert "videos_video_recent" not in plan and not SEQUENTIAL_SCAN.search(plan), plan
