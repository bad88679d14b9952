"""Review comments: who may do what, threading, resolving, sanitising, and the panel on the video page."""

import pytest
from django.urls import reverse

from config.errors import DomainError, NotFound, PermissionDenied
from insights.models import Event
from teams import services
from teams.models import Comment
from teams.permissions import Action, comment_get_for_user
from teams.selectors import comment_list_for_video
from tests.videos.factories import VideoFactory
from videos.permissions import video_get_for_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def video(team, creator):
    return VideoFactory(owner=creator, team=team, title="Launch cut", duration_seconds=30.0)


@pytest.fixture
def personal_video(creator):
    return VideoFactory(owner=creator, title="Private cut", duration_seconds=10.0)


def test_a_viewer_comments_at_a_timestamp_and_an_event_is_recorded(video, viewer):
    comment = services.comment_create(video=video, author=viewer, body="Logo is late", timestamp_seconds=12.5)

    comment.refresh_from_db()
    assert (comment.author, comment.video, comment.timestamp_seconds, comment.body) == (
        viewer,
        video,
        12.5,
        "Logo is late",
    )
    assert comment.timestamp_label == "0:12"
    event = Event.objects.get(name="comment.created")
    assert event.actor == viewer and event.payload["video_id"] == video.pk


@pytest.mark.parametrize("who", ["creator", "admin_member", "editor", "viewer"])
def test_every_team_role_may_comment_and_resolve(request, video, who):
    user = request.getfixturevalue(who)
    commentable = video_get_for_user(user=user, video_id=video.pk, action=Action.COMMENT)
    comment = services.comment_create(video=commentable, author=user, body="ok", timestamp_seconds=1)
    comment = comment_get_for_user(user=user, comment_id=comment.pk, action=Action.COMMENT)
    assert services.comment_resolve(comment=comment, actor=user).is_resolved
    assert not services.comment_unresolve(comment=comment, actor=user).is_resolved


def test_an_outsider_gets_not_found_for_every_comment_action(video, viewer, outsider):
    comment = services.comment_create(video=video, author=viewer, body="ok", timestamp_seconds=1)
    with pytest.raises(NotFound):
        video_get_for_user(user=outsider, video_id=video.pk, action=Action.COMMENT)
    for action in (Action.VIEW, Action.COMMENT, Action.EDIT, Action.DELETE):
        with pytest.raises(NotFound):
            comment_get_for_user(user=outsider, comment_id=comment.pk, action=action)


def test_only_the_owner_comments_on_a_personal_video(personal_video, creator, viewer):
    assert video_get_for_user(user=creator, video_id=personal_video.pk, action=Action.COMMENT) == personal_video
    with pytest.raises(NotFound):
        video_get_for_user(user=viewer, video_id=personal_video.pk, action=Action.COMMENT)


@pytest.mark.parametrize(
    ("who", "may_delete"),
    [("author", True), ("creator", True), ("admin_member", True), ("editor", False), ("other_viewer", False)],
)
def test_the_author_and_team_owners_and_admins_may_delete_a_comment(request, video, viewer, team, who, may_delete):
    from tests.factories import UserFactory
    from tests.teams.factories import MembershipFactory

    comment = services.comment_create(video=video, author=viewer, body="ok", timestamp_seconds=1)
    if who == "author":
        user = viewer
    elif who == "other_viewer":
        user = UserFactory()
        MembershipFactory(team=team, user=user)
    else:
        user = request.getfixturevalue(who)
    if may_delete:
        services.comment_delete(comment=comment_get_for_user(user=user, comment_id=comment.pk, action=Action.DELETE))
        assert not Comment.objects.filter(pk=comment.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            comment_get_for_user(user=user, comment_id=comment.pk, action=Action.DELETE)
        assert Comment.objects.filter(pk=comment.pk).exists()


def test_only_the_author_edits_a_comment(video, viewer, creator):
    comment = services.comment_create(video=video, author=viewer, body="first", timestamp_seconds=1)
    with pytest.raises(PermissionDenied):
        comment_get_for_user(user=creator, comment_id=comment.pk, action=Action.EDIT)
    mine = comment_get_for_user(user=viewer, comment_id=comment.pk, action=Action.EDIT)
    updated = services.comment_update(comment=mine, body="second")
    assert updated.body == "second" and updated.edited_at is not None


@pytest.mark.parametrize("timestamp", [-1, 30.5, "soon", float("nan")])
def test_a_timestamp_outside_the_video_is_refused_clearly(video, viewer, timestamp):
    with pytest.raises(DomainError) as excinfo:
        services.comment_create(video=video, author=viewer, body="x", timestamp_seconds=timestamp)
    assert excinfo.value.field == "timestamp_seconds"
    assert not Comment.objects.exists()


def test_the_end_of_the_video_is_a_valid_timestamp_and_unknown_durations_only_need_it_positive(video, viewer):
    assert services.comment_create(video=video, author=viewer, body="end", timestamp_seconds=30).pk
    video.duration_seconds = None
    video.save(update_fields=["duration_seconds"])
    assert services.comment_create(video=video, author=viewer, body="later", timestamp_seconds=999).pk


def test_a_reply_to_a_reply_joins_the_thread_of_the_first_comment(video, viewer, editor):
    root = services.comment_create(video=video, author=viewer, body="root", timestamp_seconds=4)
    reply = services.comment_create(video=video, author=editor, body="reply", parent_id=root.pk)
    nested = services.comment_create(video=video, author=viewer, body="nested", parent_id=reply.pk)

    assert reply.parent == root and nested.parent == root
    assert reply.timestamp_seconds == 4  # a reply without its own timestamp takes the thread's
    assert [c.body for c in comment_list_for_video(video=video)[0].replies.all()] == ["reply", "nested"]


def test_a_reply_must_be_to_a_comment_on_the_same_video(video, viewer, team, creator):
    other = VideoFactory(owner=creator, team=team)
    elsewhere = services.comment_create(video=other, author=viewer, body="there", timestamp_seconds=0)
    with pytest.raises(DomainError):
        services.comment_create(video=video, author=viewer, body="here", parent_id=elsewhere.pk)


def test_resolving_hides_the_thread_from_the_unresolved_filter(video, viewer, editor):
    open_one = services.comment_create(video=video, author=viewer, body="open", timestamp_seconds=1)
    done = services.comment_create(video=video, author=viewer, body="done", timestamp_seconds=2)
    services.comment_resolve(comment=done, actor=editor)

    done.refresh_from_db()
    assert done.resolved_by == editor and done.resolved_at is not None
    assert list(comment_list_for_video(video=video, resolved=False)) == [open_one]
    assert list(comment_list_for_video(video=video, resolved=True)) == [done]
    services.comment_unresolve(comment=done, actor=viewer)
    assert len(comment_list_for_video(video=video, resolved=False)) == 2


def test_replies_cannot_be_resolved_on_their_own(video, viewer):
    root = services.comment_create(video=video, author=viewer, body="root", timestamp_seconds=1)
    reply = services.comment_create(video=video, author=viewer, body="reply", parent_id=root.pk)
    with pytest.raises(DomainError):
        services.comment_resolve(comment=reply, actor=viewer)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("<script>alert('x')</script>Nice cut", "alert('x')Nice cut"),
        ('<img src=x onerror="alert(1)">Look here', "Look here"),
        ("<scr<script>ipt>alert(1)</script>", "ipt>alert(1)"),
        ("<b>bold</b> and <a href='javascript:alert(1)'>link</a>", "bold and link"),
        ("2 < 3 and 5 > 4", "2 < 3 and 5 > 4"),
        ("  line one\r\n\r\n\r\n\r\nline two  ", "line one\n\nline two"),
    ],
)
def test_comment_text_is_stored_as_plain_text_without_tags(video, viewer, typed, stored):
    comment = services.comment_create(video=video, author=viewer, body=typed, timestamp_seconds=0)
    comment.refresh_from_db()
    assert comment.body == stored
    assert "<script" not in comment.body and "<img" not in comment.body


@pytest.mark.parametrize("typed", ["", "   ", "<script></script>", "<img src=x onerror=alert(1)>", "x" * 2001])
def test_empty_or_overlong_comments_are_refused(video, viewer, typed):
    with pytest.raises(DomainError) as excinfo:
        services.comment_create(video=video, author=viewer, body=typed, timestamp_seconds=0)
    assert excinfo.value.field == "body"


def test_the_panel_never_renders_markup_from_a_comment(video, viewer, client_for):
    Comment.objects.create(video=video, author=viewer, body='<script>alert(1)</script><img src=x onerror="alert(2)">')
    response = client_for(viewer).get(reverse("comment_panel", args=[video.pk]))
    html = response.content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_video_page_includes_the_comments_panel(video, viewer, client_for):
    response = client_for(viewer).get(reverse("videos:detail", args=[video.pk]))
    assert reverse("comment_panel", args=[video.pk]) in response.content.decode()


def test_the_panel_lists_threads_with_timestamp_chips_and_an_empty_state(video, viewer, editor, client_for):
    client = client_for(viewer)
    assert "No comments yet" in client.get(reverse("comment_panel", args=[video.pk])).content.decode()
    root = services.comment_create(video=video, author=editor, body="Colour is off", timestamp_seconds=25)
    services.comment_create(video=video, author=viewer, body="Agreed", parent_id=root.pk)
    html = client.get(reverse("comment_panel", args=[video.pk])).content.decode()
    assert 'data-seek="25"' in html and "0:25" in html
    assert "Colour is off" in html and "Agreed" in html


def test_posting_the_form_adds_a_comment_and_answers_with_the_panel(video, viewer, client_for):
    response = client_for(viewer).post(
        reverse("comment_panel", args=[video.pk]),
        {"body": "Cut here", "timestamp_seconds": "3.5"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Cut here" in response.content.decode()
    assert Comment.objects.get().timestamp_seconds == 3.5


def test_a_bad_timestamp_in_the_form_shows_the_error_and_keeps_the_text(video, viewer, client_for):
    response = client_for(viewer).post(
        reverse("comment_panel", args=[video.pk]),
        {"body": "Too late", "timestamp_seconds": "99"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "after the end of the video" in html and "Too late" in html
    assert not Comment.objects.exists()


def test_resolve_unresolve_and_delete_buttons_work_through_the_panel(video, viewer, client_for):
    client = client_for(viewer)
    comment = services.comment_create(video=video, author=viewer, body="Fix audio", timestamp_seconds=1)
    client.post(reverse("comment_resolve", args=[comment.pk]), HTTP_HX_REQUEST="true")
    assert Comment.objects.get().is_resolved
    hidden = client.post(
        reverse("comment_unresolve", args=[comment.pk]), {"hide_resolved": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "Fix audio" in hidden.content.decode() and not Comment.objects.get().is_resolved
    client.post(reverse("comment_resolve", args=[comment.pk]))
    assert (
        "Fix audio"
        not in client.get(reverse("comment_panel", args=[video.pk]), {"hide_resolved": "1"}).content.decode()
    )
    client.post(reverse("comment_delete", args=[comment.pk]), HTTP_HX_REQUEST="true")
    assert not Comment.objects.exists()


def test_outsiders_get_404_from_the_panel_and_its_buttons(video, viewer, outsider, client_for):
    comment = services.comment_create(video=video, author=viewer, body="x", timestamp_seconds=1)
    client = client_for(outsider)
    assert client.get(reverse("comment_panel", args=[video.pk])).status_code == 404
    assert client.post(reverse("comment_panel", args=[video.pk]), {"body": "hi"}).status_code == 404
    assert client.post(reverse("comment_resolve", args=[comment.pk])).status_code == 404
    assert client.post(reverse("comment_delete", args=[comment.pk])).status_code == 404
    assert client.get(reverse("comment_mentions", args=[video.pk])).status_code == 404


def test_the_panel_list_has_a_fixed_query_budget(video, viewer, editor, client_for, django_assert_max_num_queries):
    client = client_for(viewer)
    url = reverse("comment_panel", args=[video.pk])

    def add_thread(n: int) -> None:
        root = services.comment_create(video=video, author=editor, body=f"@vera look {n}", timestamp_seconds=n)
        services.comment_create(video=video, author=viewer, body="@eddie ok", parent_id=root.pk)

    add_thread(1)
    with django_assert_max_num_queries(14) as few:
        client.get(url)
    for n in range(2, 12):
        add_thread(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_delete_buttons_show_for_ones_own_comments_and_for_moderators(video, viewer, editor, creator, client_for):
    mine = services.comment_create(video=video, author=viewer, body="mine", timestamp_seconds=1)
    theirs = services.comment_create(video=video, author=editor, body="theirs", timestamp_seconds=2)
    url = reverse("comment_panel", args=[video.pk])

    as_viewer = client_for(viewer).get(url).content.decode()
    assert reverse("comment_delete", args=[mine.pk]) in as_viewer
    assert reverse("comment_delete", args=[theirs.pk]) not in as_viewer
    as_owner = client_for(creator).get(url).content.decode()
    assert (
        reverse("comment_delete", args=[mine.pk]) in as_owner
        and reverse("comment_delete", args=[theirs.pk]) in as_owner
    )


def test_a_busy_videos_panel_pages_threads_by_cursor_with_a_fixed_query_count(
    video, viewer, editor, client_for, django_assert_max_num_queries
):
    import re

    from teams.views.comments import THREADS_PER_PAGE

    client = client_for(viewer)
    url = reverse("comment_panel", args=[video.pk])
    first = services.comment_create(video=video, author=editor, body="Thread 0", timestamp_seconds=0)
    services.comment_create(video=video, author=viewer, body="First reply", parent_id=first.pk)
    with django_assert_max_num_queries(12) as captured:
        client.get(url)
    budget = len(captured.captured_queries)
    Comment.objects.bulk_create(
        Comment(video=video, author=editor, body=f"Thread {n}", timestamp_seconds=n) for n in range(1, THREADS_PER_PAGE)
    )
    last = services.comment_create(video=video, author=editor, body="The last thread", timestamp_seconds=29)
    services.comment_create(video=video, author=viewer, body="A reply", parent_id=last.pk)
    with django_assert_max_num_queries(budget):
        first = client.get(url).content.decode()
    assert f"{THREADS_PER_PAGE + 1} threads" in first and "The last thread" not in first
    older = re.search(r'hx-get="[^"?]+\?(cursor=[^"]+)">Next', first).group(1)
    with django_assert_max_num_queries(budget):
        second = client.get(f"{url}?{older}").content.decode()
    assert "The last thread" in second and "A reply" in second and "Thread 0<" not in second
