"""Comments over the API: list with the resolved filter, create, patch, delete, resolve/unresolve."""

import pytest
from django.urls import reverse

from teams import services
from teams.models import Comment
from tests.videos.factories import VideoFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(team, creator):
    return VideoFactory(owner=creator, team=team, title="Launch cut", duration_seconds=30.0)


def list_url(video) -> str:
    return reverse("api-video-comment-list", args=[video.pk])


def test_a_viewer_creates_a_comment_and_a_reply_and_lists_the_thread(video, viewer, editor, api_client_for):
    created = api_client_for(viewer).post(
        list_url(video), {"body": "Logo late @eddie", "timestamp_seconds": 2.5}, format="json"
    )
    assert created.status_code == 201, created.content
    root = created.json()
    assert root["timestamp_seconds"] == 2.5 and root["mentions"] == [{"id": editor.pk, "name": "Eddie Editor"}]
    reply = api_client_for(editor).post(list_url(video), {"body": "On it", "parent": root["id"]}, format="json")
    assert reply.status_code == 201 and reply.json()["parent_id"] == root["id"]

    listing = api_client_for(viewer).get(list_url(video)).json()
    assert listing["count"] == 1
    assert [r["body"] for r in listing["results"][0]["replies"]] == ["On it"]


def test_bad_input_gets_a_400_with_the_field(video, viewer, api_client_for):
    client = api_client_for(viewer)
    too_late = client.post(list_url(video), {"body": "x", "timestamp_seconds": 31}, format="json")
    assert too_late.status_code == 400 and "timestamp_seconds" in too_late.json()
    empty = client.post(list_url(video), {"body": "<script></script>", "timestamp_seconds": 1}, format="json")
    assert empty.status_code == 400 and "body" in empty.json()
    assert not Comment.objects.exists()


def test_the_list_filters_out_resolved_threads(video, viewer, api_client_for):
    client = api_client_for(viewer)
    for body in ("open", "done"):
        client.post(list_url(video), {"body": body, "timestamp_seconds": 1}, format="json")
    done = Comment.objects.get(body="done")
    assert client.post(reverse("api-comment-resolve", args=[done.pk])).json()["is_resolved"] is True

    assert [c["body"] for c in client.get(list_url(video), {"resolved": "false"}).json()["results"]] == ["open"]
    assert [c["body"] for c in client.get(list_url(video), {"resolved": "true"}).json()["results"]] == ["done"]
    assert client.get(list_url(video)).json()["count"] == 2
    assert client.post(reverse("api-comment-unresolve", args=[done.pk])).json()["is_resolved"] is False


def test_retrieve_patch_and_delete_a_comment(video, viewer, creator, api_client_for):
    comment = services.comment_create(video=video, author=viewer, body="first", timestamp_seconds=1)
    url = reverse("api-comment-detail", args=[comment.pk])
    assert api_client_for(viewer).get(url).json()["body"] == "first"
    assert api_client_for(creator).patch(url, {"body": "not mine"}, format="json").status_code == 403
    patched = api_client_for(viewer).patch(url, {"body": "<b>second</b>"}, format="json")
    assert patched.status_code == 200 and patched.json()["body"] == "second"
    assert api_client_for(creator).delete(url).status_code == 204  # the team's owner moderates
    assert not Comment.objects.exists()


def test_outsiders_get_404_everywhere(video, viewer, outsider, api_client_for):
    comment = services.comment_create(video=video, author=viewer, body="x", timestamp_seconds=1)
    client = api_client_for(outsider)
    assert client.get(list_url(video)).status_code == 404
    assert client.post(list_url(video), {"body": "hi"}, format="json").status_code == 404
    assert client.get(reverse("api-comment-detail", args=[comment.pk])).status_code == 404
    assert client.delete(reverse("api-comment-detail", args=[comment.pk])).status_code == 404
    assert client.post(reverse("api-comment-resolve", args=[comment.pk])).status_code == 404


def test_an_editor_may_not_delete_someone_elses_comment(video, viewer, editor, api_client_for):
    comment = services.comment_create(video=video, author=viewer, body="x", timestamp_seconds=1)
    assert api_client_for(editor).delete(reverse("api-comment-detail", args=[comment.pk])).status_code == 403


def test_the_list_has_a_fixed_query_budget(video, viewer, editor, api_client_for, django_assert_max_num_queries):
    client = api_client_for(viewer)

    def add_thread(n: int) -> None:
        root = services.comment_create(video=video, author=editor, body=f"@vera see {n}", timestamp_seconds=n)
        services.comment_create(video=video, author=viewer, body="@eddie fixed", parent_id=root.pk)
        services.comment_resolve(comment=root, actor=viewer)

    add_thread(1)
    with django_assert_max_num_queries(10) as few:
        assert client.get(list_url(video)).status_code == 200
    for n in range(2, 15):
        add_thread(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(list_url(video))
    assert response.json()["count"] == 14
