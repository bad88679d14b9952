"""The ops console for exports: status, size and owner listed; cancel, retry and delete through the services."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from tests.videos.exports import ready_video, zip_members
from videos.models import ExportJob
from videos.services.exports import export_start

pytestmark = pytest.mark.django_db


def act(client, action, jobs):
    return client.post(
        reverse("admin:videos_exportjob_changelist"),
        {"action": action, "_selected_action": [job.pk for job in jobs]},
        follow=True,
    )


def test_staff_see_status_size_and_owner_and_cannot_add_exports(
    staff_client, creator, django_capture_on_commit_callbacks
):
    video, _ = ready_video(owner=creator)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_start(user=creator, video_ids=[video.pk])
    job.refresh_from_db()

    page = staff_client.get(reverse("admin:videos_exportjob_changelist")).content.decode()
    assert (
        creator.email in page and "Ready" in page and str(job.size_bytes) in page.replace("\u202f", "").replace(",", "")
    )
    assert staff_client.get(reverse("admin:videos_exportjob_add")).status_code == 403
    detail = staff_client.get(reverse("admin:videos_exportjob_change", args=[job.pk]))
    assert detail.status_code == 200 and f"videos-{job.pk}.zip" in detail.content.decode()


def test_staff_cancel_and_retry_exports_through_the_services(staff_client, creator, django_capture_on_commit_callbacks):
    video, content = ready_video(owner=creator)
    running = export_start(user=creator, video_ids=[video.pk])

    response = act(staff_client, "cancel", [running])
    assert "1 export cancelled." in response.content.decode()
    running.refresh_from_db()
    assert running.status == ExportJob.Status.CANCELLED

    with django_capture_on_commit_callbacks(execute=True):
        response = act(staff_client, "retry", [running])
    assert "1 export queued again." in response.content.decode()
    running.refresh_from_db()
    assert running.status == ExportJob.Status.READY and list(zip_members(running).values()) == [content]

    response = act(staff_client, "cancel", [running])
    assert "Only an export that is still being prepared can be cancelled." in response.content.decode()


def test_staff_delete_an_export_with_its_zip(staff_client, creator, django_capture_on_commit_callbacks):
    video, _ = ready_video(owner=creator)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_start(user=creator, video_ids=[video.pk])
    job.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        act(staff_client, "delete_with_zip", [job])
    assert not ExportJob.objects.exists() and not default_storage.exists(job.file.name)
