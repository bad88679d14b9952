"""Version history: every render is vN under its own path; restore, compare, retention."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from billing.models import Plan
from config.errors import DomainError, NotFound
from teams.permissions import Action
from tests.videos.conftest import stored_files
from tests.videos.media_tools import make_clip, upload_of
from videos.models import VideoVersion
from videos.permissions import video_get_for_user
from videos.selectors import version_compare
from videos.services import version_restore, video_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def uploaded(creator, tmp_path):
    clip = make_clip(tmp_path / "v1.mp4", seconds=1, size="64x36")
    return video_upload(user=creator, team=None, title="History", upload=upload_of(clip))


def test_restoring_an_old_version_makes_a_new_version_and_keeps_the_old_one(creator, uploaded, media_root):
    v2 = version_restore(video=uploaded, actor=creator, number=1)

    assert v2.number == 2 and v2.restored_from.number == 1
    assert v2.change_description == "Restored from v1"
    assert v2.file.name == f"videos/{uploaded.pk}/v2/video.mp4"
    with default_storage.open(v2.file.name) as new, default_storage.open(f"videos/{uploaded.pk}/v1/video.mp4") as old:
        assert new.read() == old.read()
    uploaded.refresh_from_db()
    assert uploaded.current_version == v2
    assert list(uploaded.versions.order_by("number").values_list("number", flat=True)) == [1, 2]
    assert len(stored_files(media_root)) == 4


def test_only_the_latest_versions_keep_their_files(creator, uploaded, media_root, django_capture_on_commit_callbacks):
    for round_ in range(6):
        with django_capture_on_commit_callbacks(execute=True):
            version_restore(video=uploaded, actor=creator, number=1 if round_ == 0 else 2 + round_ - 1)
    # v1..v7 exist; the plan keeps 5, so v1 and v2 lost their files but not their rows.
    versions = {v.number: v for v in uploaded.versions.all()}
    assert sorted(versions) == [1, 2, 3, 4, 5, 6, 7]
    assert [n for n, v in sorted(versions.items()) if v.purged_at] == [1, 2]
    assert not versions[1].file and not versions[1].is_restorable
    kept = {path.split("/")[2] for path in stored_files(media_root)}
    assert kept == {"v3", "v4", "v5", "v6", "v7"}
    with pytest.raises(DomainError):
        version_restore(video=uploaded, actor=creator, number=1)


def test_retention_follows_the_plans_versions_kept(
    creator, uploaded, monkeypatch, media_root, django_capture_on_commit_callbacks
):
    Plan.objects.filter(is_default=True).update(versions_kept=2)
    with django_capture_on_commit_callbacks(execute=True):
        version_restore(video=uploaded, actor=creator, number=1)
        version_restore(video=uploaded, actor=creator, number=2)
    assert {path.split("/")[2] for path in stored_files(media_root)} == {"v2", "v3"}


def test_comparing_two_versions_gives_size_duration_and_time_differences(creator, outsider, uploaded):
    v1 = uploaded.versions.get(number=1)
    v2 = VideoVersion.objects.create(
        video=uploaded,
        number=2,
        status=VideoVersion.Status.READY,
        size_bytes=v1.size_bytes + 3 * 1024 * 1024,
        duration_seconds=v1.duration_seconds + 2.5,
        created_by=outsider,
        created_at=v1.created_at + timezone.timedelta(hours=3),
    )
    comparison = version_compare(first=v2, second=v1)
    assert comparison.older == v1 and comparison.newer == v2
    assert comparison.size_difference_mb == 3.0
    assert comparison.duration_difference_seconds == 2.5
    assert comparison.time_between == timezone.timedelta(hours=3)
    assert not comparison.same_author


def test_the_history_page_lists_newest_first_and_compares(creator_client, creator, uploaded):
    version_restore(video=uploaded, actor=creator, number=1)
    url = reverse("videos:versions", args=[uploaded.pk])
    body = creator_client.get(url).content.decode()
    assert body.index('data-version="2"') < body.index('data-version="1"')
    response = creator_client.get(url, {"a": 1, "b": 2})
    assert 'data-testid="comparison"' in response.content.decode()
    assert "0.00 MB" in response.content.decode()


def test_restore_from_the_page_redirects_to_the_history(creator_client, uploaded):
    response = creator_client.post(reverse("videos:restore", args=[uploaded.pk, 1]))
    assert response.status_code == 302
    assert uploaded.versions.count() == 2


def test_nobody_else_can_restore_or_see_versions(client, outsider, uploaded):
    client.force_login(outsider)
    assert client.get(reverse("videos:versions", args=[uploaded.pk])).status_code == 404
    assert client.post(reverse("videos:restore", args=[uploaded.pk, 1])).status_code == 404
    with pytest.raises(NotFound):
        video_get_for_user(user=outsider, video_id=uploaded.pk, action=Action.EDIT)
    assert uploaded.versions.count() == 1


def test_versions_restore_and_compare_through_the_api(api_client, creator, uploaded):
    api_client.force_authenticate(creator)
    response = api_client.post(reverse("api-video-restore", args=[uploaded.pk, 1]))
    assert response.status_code == 201 and response.json()["number"] == 2
    listing = api_client.get(reverse("api-video-versions", args=[uploaded.pk])).json()
    assert [v["number"] for v in listing["results"]] == [2, 1]
    assert listing["results"][0]["restored_from"] == 1
    comparison = api_client.get(reverse("api-video-compare", args=[uploaded.pk]), {"a": 1, "b": 2}).json()
    assert comparison["size_difference_mb"] == 0.0 and comparison["older"]["number"] == 1
    assert api_client.get(reverse("api-video-compare", args=[uploaded.pk]), {"a": 1, "b": 9}).status_code == 404


def test_the_history_page_and_endpoint_keep_a_fixed_number_of_queries(
    creator_client, api_client, creator, uploaded, django_assert_max_num_queries
):
    url = reverse("videos:versions", args=[uploaded.pk])
    api_url = reverse("api-video-versions", args=[uploaded.pk])
    api_client.force_authenticate(creator)
    with django_assert_max_num_queries(12) as page_one:
        creator_client.get(url)
    with django_assert_max_num_queries(8) as api_one:
        api_client.get(api_url)
    for number in range(2, 12):
        VideoVersion.objects.create(video=uploaded, number=number, status="ready", created_by=creator)
    with django_assert_max_num_queries(len(page_one.captured_queries)):
        assert creator_client.get(url).content.decode().count("data-version=") == 11
    with django_assert_max_num_queries(len(api_one.captured_queries)):
        assert api_client.get(api_url).json()["count"] == 11
