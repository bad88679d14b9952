"""The export pages: choose videos on the list, follow progress (htmx), download, cancel, list."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from billing import limits
from tests.videos.exports import ready_video, zip_members
from videos.models import ExportJob
from videos.services.exports import export_start

pytestmark = pytest.mark.django_db


def test_videos_chosen_on_the_list_page_are_exported_and_the_job_page_offers_the_zip(
    creator, creator_client, django_capture_on_commit_callbacks
):
    first, first_bytes = ready_video(owner=creator, title="One")
    second, second_bytes = ready_video(owner=creator, title="Two")
    listing = creator_client.get(reverse("videos:list"))
    assert f'name="videos" value="{first.pk}" form="export-form"' in listing.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = creator_client.post(reverse("videos:export_start"), {"videos": [first.pk, second.pk]})

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("videos:export_detail", args=[job.pk])
    assert zip_members(job) == {"one.mp4": first_bytes, "two.mp4": second_bytes}
    page = creator_client.get(response["Location"]).content.decode()
    assert "Download ZIP" in page and "sig=" in page and "hx-get" not in page


def test_a_running_export_shows_its_progress_polls_and_can_be_cancelled(creator, creator_client):
    video, _ = ready_video(owner=creator)
    job = export_start(user=creator, video_ids=[video.pk])  # no worker yet: it stays queued
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, progress=42)

    page = creator_client.get(reverse("videos:export_detail", args=[job.pk])).content.decode()
    assert 'value="42"' in page and f'hx-get="{reverse("videos:export_status", args=[job.pk])}"' in page
    panel = creator_client.get(reverse("videos:export_status", args=[job.pk])).content.decode()
    assert panel.startswith('<section id="export-status"') and "42 % done" in panel

    response = creator_client.post(reverse("videos:export_cancel", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ExportJob.Status.CANCELLED
    again = creator_client.post(reverse("videos:export_cancel", args=[job.pk]))
    assert again.status_code == 400 and "still being prepared" in again.content.decode()


def test_too_many_videos_go_back_to_the_list_with_the_reason(creator, creator_client):
    allowed = limits.value(creator, limits.Limit.EXPORT_BATCH_SIZE)
    videos = [ready_video(owner=creator, size=10)[0] for _ in range(allowed + 1)]

    response = creator_client.post(reverse("videos:export_start"), {"videos": [v.pk for v in videos]}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("videos:list")
    assert f"Your plan exports at most {allowed} videos at once" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_nothing_chosen_is_refused_with_a_message(creator_client):
    response = creator_client.post(reverse("videos:export_start"), {}, follow=True)
    assert "Choose at least one video to export." in response.content.decode()


def test_an_expired_export_refuses_the_download_on_its_page(
    creator, creator_client, django_capture_on_commit_callbacks
):
    video, _ = ready_video(owner=creator)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_start(user=creator, video_ids=[video.pk])
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())

    page = creator_client.get(reverse("videos:export_detail", args=[job.pk])).content.decode()
    assert "This export has expired" in page and "Download ZIP" not in page and "sig=" not in page


def test_another_persons_export_and_video_are_not_found(creator, outsider, password):
    video, _ = ready_video(owner=creator)
    job = export_start(user=creator, video_ids=[video.pk])
    client = Client()
    client.force_login(outsider)

    for name in ("videos:export_detail", "videos:export_status"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert client.post(reverse("videos:export_cancel", args=[job.pk])).status_code == 404
    assert client.post(reverse("videos:export_start"), {"videos": [video.pk]}).status_code == 404
    assert ExportJob.objects.count() == 1


def test_the_list_of_my_exports_has_an_empty_state_and_pages(creator, creator_client, outsider):
    empty = creator_client.get(reverse("videos:exports")).content.decode()
    assert "No exports yet." in empty

    video, _ = ready_video(owner=creator)
    for _ in range(21):
        export_start(user=creator, video_ids=[video.pk])
    theirs, _ = ready_video(owner=outsider)
    export_start(user=outsider, video_ids=[theirs.pk])

    first = creator_client.get(reverse("videos:exports")).content.decode()
    second = creator_client.get(reverse("videos:exports") + "?page=2").content.decode()
    assert first.count("data-export=") == 20 and second.count("data-export=") == 1
    assert "Page 1 of 2" in first
