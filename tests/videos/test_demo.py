import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from teams.models import User
from tests.videos.media_tools import frame_rgb, near, pixel
from videos.export_models import ExportJob
from videos.models import BrandingProfile, BulkJob, BulkRow, Video

pytestmark = pytest.mark.django_db


def test_load_demo_gives_the_demo_creator_rendered_videos_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", password="demo-password-123", stdout=io.StringIO())
    videos = Video.objects.filter(owner__email="demo@videocreator.local", bulk_row__isnull=True)
    assert videos.count() == 4
    assert set(videos.values_list("status", flat=True)) == {Video.Status.READY}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", password="demo-password-123", stdout=io.StringIO())
    assert videos.count() == 4


def test_load_demo_shows_branding_and_a_finished_export(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", password="demo-password-123", stdout=io.StringIO())
    creator = User.objects.get(email="demo@videocreator.local")
    profile = BrandingProfile.objects.get(owner=creator)
    assert profile.is_default
    # The branded demo video was rendered with the profile's logo on it.
    branded = Video.objects.get(owner=creator, title__contains="logo")
    version = branded.versions.get()
    assert version.status == "ready"
    assert version.render_spec["branding"]["profile_id"] == profile.pk
    logo = version.render_spec["branding"]
    frame = frame_rgb(Path(default_storage.path(version.file.name)), at=1.0)
    width = frame[0]
    logo_width = round(width * logo["scale"] / 100 / 2) * 2
    margin = logo["margin"]
    # The badge's violet sits in the top-right corner, where the profile puts it.
    assert near(pixel(frame, width - margin - logo_width // 4, margin + logo_width // 4), (124, 58, 237), 48)
    # The export of the uploaded demo video was built; its ZIP holds the video's bytes.
    job = ExportJob.objects.get(owner=creator)
    assert job.status == "ready"
    with zipfile.ZipFile(default_storage.open(job.file.name)) as archive:
        (member,) = archive.namelist()
        uploaded = Video.objects.get(owner=creator, title="Behind the scenes")
        assert archive.read(member) == default_storage.open(uploaded.file.name).read()


def test_load_demo_gives_the_demo_creator_a_finished_small_bulk_job_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", password="demo-password-123", stdout=io.StringIO())
    job = BulkJob.objects.get(owner__email="demo@videocreator.local")
    assert job.status == BulkJob.Status.DONE and job.rendered_count == job.row_count == 3
    assert set(job.rows.values_list("status", flat=True)) == {BulkRow.Status.RENDERED}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", password="demo-password-123", stdout=io.StringIO())
    assert BulkJob.objects.count() == 1
