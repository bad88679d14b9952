"""@mentions: the syntax, its edge cases, and who gets notified."""

import pytest
from django.urls import reverse
from django.utils import translation

from teams import services
from teams.mentions import mention_tokens, mentioned_users
from teams.models import Notification
from tests.factories import UserFactory
from tests.videos.factories import VideoFactory


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("@vera please check", ["vera"]),
        ("thanks @vera, and @eddie.", ["vera", "eddie"]),
        ("(@vera) @vera! @VERA?", ["vera"]),
        ("write to bob@example.com or @vera", ["vera"]),
        ("@[Vera Viewer] and @vera-viewer", ["vera viewer", "vera-viewer"]),
        ("@ana.smith. is here", ["ana.smith"]),
        ("no mention @ all, @@double, email@x.org", []),
        ("@[Ünïcode Nämé]: hello", ["ünïcode nämé"]),
    ],
)
def test_mention_tokens_handle_punctuation_emails_and_duplicates(text, tokens):
    assert mention_tokens(text) == tokens


@pytest.mark.django_db
def test_handles_match_email_local_parts_slugged_names_and_bracketed_names():
    vera = UserFactory(email="vera@example.com", display_name="Vera Viewer")
    eddie = UserFactory(email="ed.wood@example.com", display_name="Eddie Editor")
    nobody = UserFactory(email="nobody@example.com", display_name="")
    people = [vera, eddie, nobody]

    assert mentioned_users("@vera", candidates=people) == [vera]
    assert mentioned_users("@eddie-editor.", candidates=people) == [eddie]
    assert mentioned_users("@ed.wood, hi", candidates=people) == [eddie]
    assert mentioned_users("@[Eddie Editor] and @[vera viewer]", candidates=people) == [vera, eddie]
    assert mentioned_users("mail nobody@example.com", candidates=people) == []
    assert mentioned_users("@nobody @nobody", candidates=people) == [nobody]
    assert mentioned_users("@stranger", candidates=people) == []


@pytest.fixture
def video(team, creator):
    return VideoFactory(owner=creator, team=team, title="Launch cut", duration_seconds=30.0)


@pytest.mark.django_db
def test_each_mentioned_member_is_notified_once_on_commit(
    video, creator, editor, viewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        comment = services.comment_create(
            video=video, author=editor, body="@vera and @[Vera Viewer], also @creator", timestamp_seconds=3
        )
        assert not Notification.objects.exists()  # nothing before the commit
    for callback in callbacks:
        callback()

    notes = Notification.objects.order_by("recipient__email")
    assert [n.recipient for n in notes] == [creator, viewer]
    note = notes.get(recipient=viewer)
    assert note.kind == "mention"
    with translation.override("en"):
        assert note.text == "Eddie Editor mentioned you on “Launch cut”."
    assert note.target_url == reverse("videos:detail", args=[video.pk]) + f"#comment-{comment.pk}"
    assert set(comment.mentions.all()) == {creator, viewer}


@pytest.mark.django_db
def test_non_members_and_the_author_are_not_notified(video, editor, outsider, django_capture_on_commit_callbacks):
    outsider.display_name = "Otto"
    outsider.save(update_fields=["display_name"])
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(
            video=video, author=editor, body=f"@eddie @otto @{outsider.email.split('@')[0]}", timestamp_seconds=0
        )
    assert not Notification.objects.exists()
    assert list(comment.mentions.all()) == [editor]  # a self-mention is kept, just not notified


@pytest.mark.django_db
def test_on_a_personal_video_only_the_owner_can_be_mentioned(creator, viewer, django_capture_on_commit_callbacks):
    video = VideoFactory(owner=creator, title="Mine", duration_seconds=5)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(video=video, author=creator, body="@vera look", timestamp_seconds=0)
    assert not comment.mentions.exists() and not Notification.objects.exists()


@pytest.mark.django_db
def test_editing_a_comment_notifies_only_the_newly_mentioned(
    video, creator, editor, viewer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(video=video, author=editor, body="@vera look", timestamp_seconds=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_update(comment=comment, body="@vera look, @[Eddie Editor] too, @creator")
    assert sorted(n.recipient.email for n in Notification.objects.all()) == [creator.email, viewer.email]


@pytest.mark.django_db
def test_the_mention_autocomplete_lists_matching_team_members(video, viewer, editor, client_for):
    url = reverse("comment_mentions", args=[video.pk])
    results = client_for(viewer).get(url, {"q": "ed"}).json()["results"]
    assert results == [{"name": "Eddie Editor", "insert": "@[Eddie Editor]"}]
    everyone = client_for(viewer).get(url).json()["results"]
    assert {r["name"] for r in everyone} == {"Eddie Editor", "Vera Viewer", video.owner.name}
