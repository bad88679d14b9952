"""The ops console for comments, and deleting a team takes its videos' stored files with it."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from teams import services
from teams.models import Comment, Team
from tests.videos.factories import VideoFactory, VideoVersionFactory
from videos.models import Video

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def video(team, creator):
    return VideoFactory(owner=creator, team=team, title="Launch cut", duration_seconds=30.0)


def test_the_comment_admin_lists_filters_and_searches(staff_client, video, viewer):
    root = services.comment_create(video=video, author=viewer, body="Logo is late", timestamp_seconds=3)
    services.comment_create(video=video, author=viewer, body="Still late", parent_id=root.pk)
    url = reverse("admin:teams_comment_changelist")
    for query in ["", "?resolved=no", "?resolved=yes", f"?video__team__id__exact={video.team_id}", "?q=logo"]:
        assert staff_client.get(url + query).status_code == 200, query
    assert "Logo is late" in staff_client.get(url + "?q=vera").content.decode()
    assert "Logo is late" not in staff_client.get(url + "?resolved=yes").content.decode()
    assert staff_client.get(reverse("admin:teams_comment_change", args=[root.pk])).status_code == 200


def test_admin_actions_resolve_and_reopen_threads(staff_client, video, viewer, staff):
    root = services.comment_create(video=video, author=viewer, body="Fix", timestamp_seconds=1)
    url = reverse("admin:teams_comment_changelist")
    staff_client.post(url, {"action": "resolve", "_selected_action": [root.pk]})
    root.refresh_from_db()
    assert root.is_resolved and root.resolved_by == staff
    staff_client.post(url, {"action": "unresolve", "_selected_action": [root.pk]})
    root.refresh_from_db()
    assert not root.is_resolved


def _stored_video(team, owner) -> tuple[Video, list[str]]:
    video = VideoFactory(owner=owner, team=team)
    names = [
        default_storage.save(f"videos/{video.pk}/final.mp4", ContentFile(b"video")),
        default_storage.save(f"videos/{video.pk}/thumb.jpg", ContentFile(b"jpg")),
        default_storage.save(f"videos/{video.pk}/v1.mp4", ContentFile(b"v1")),
    ]
    video.file.name, video.thumbnail.name = names[0], names[1]
    video.save(update_fields=["file", "thumbnail"])
    VideoVersionFactory(video=video, number=1, file=names[2])
    return video, names


def test_deleting_a_team_removes_its_videos_stored_files_on_commit(team, creator, django_capture_on_commit_callbacks):
    video, names = _stored_video(team, creator)
    personal = VideoFactory(owner=creator)
    personal_file = default_storage.save("videos/personal.mp4", ContentFile(b"mine"))
    Video.objects.filter(pk=personal.pk).update(file=personal_file)
    services.comment_create(video=video, author=creator, body="bye", timestamp_seconds=0)

    with django_capture_on_commit_callbacks(execute=True):
        services.team_delete(team=team, actor=creator)

    assert not Team.objects.filter(pk=team.pk).exists()
    assert not Video.objects.filter(pk=video.pk).exists() and not Comment.objects.exists()
    assert [name for name in names if default_storage.exists(name)] == []
    assert default_storage.exists(personal_file)  # the owner's personal videos stay


def test_deleting_a_team_in_the_admin_removes_the_files_too(
    staff_client, team, creator, django_capture_on_commit_callbacks
):
    _video, names = _stored_video(team, creator)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:teams_team_changelist"),
            {"action": "delete_selected", "_selected_action": [team.pk], "post": "yes"},
        )
    assert not Team.objects.filter(pk=team.pk).exists()
    assert [name for name in names if default_storage.exists(name)] == []


def test_deleting_a_person_in_the_admin_removes_their_videos_files(
    staff_client, team, creator, outsider, django_capture_on_commit_callbacks
):
    _video, names = _stored_video(team, creator)
    personal = VideoFactory(owner=creator)
    personal_file = default_storage.save("videos/personal.mp4", ContentFile(b"mine"))
    Video.objects.filter(pk=personal.pk).update(file=personal_file)
    someone_elses = VideoFactory(owner=outsider)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:teams_user_delete", args=[creator.pk]), {"post": "yes"})
    assert not Video.objects.filter(owner_id=creator.pk).exists()
    assert [name for name in [*names, personal_file] if default_storage.exists(name)] == []
    assert Video.objects.filter(pk=someone_elses.pk).exists()


def test_the_console_corrects_a_comment_through_the_service_and_cannot_write_new_ones(
    staff_client, video, viewer, editor
):
    comment = services.comment_create(video=video, author=viewer, body="Logo is late", timestamp_seconds=3)
    assert staff_client.get(reverse("admin:teams_comment_add")).status_code == 403
    url = reverse("admin:teams_comment_change", args=[comment.pk])
    assert staff_client.post(url, {"body": "Logo is late, @eddie"}).status_code == 302
    comment.refresh_from_db()
    assert comment.body == "Logo is late, @eddie" and comment.edited_at is not None
    assert list(comment.mentions.all()) == [editor]  # worked out again from the new text


def test_the_console_deletes_a_thread_with_its_replies(staff_client, video, viewer):
    root = services.comment_create(video=video, author=viewer, body="Fix", timestamp_seconds=1)
    services.comment_create(video=video, author=viewer, body="Done?", parent_id=root.pk)
    staff_client.post(reverse("admin:teams_comment_delete", args=[root.pk]), {"post": "yes"})
    assert not Comment.objects.exists()
