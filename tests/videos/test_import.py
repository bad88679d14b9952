"""Staff bulk import of templates from CSV or JSON, with per-row errors and progress."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.s3 import BUCKET
from tests.videos.factories import TemplateFactory
from videos.models import Template, TemplateImport

pytestmark = pytest.mark.django_db

SPEC = {"scenes": [{"duration": 2, "background": "#123456", "text": "Hi", "transition": "cut"}]}
COLUMNS = [
    "slug", "title", "title_es", "description", "category", "tags", "duration_seconds", "aspect_ratio", "tier",
    "scene_spec",
]  # fmt: skip


def row(n: int, **overrides) -> dict:
    values = {
        "slug": f"imported-{n}",
        "title": f"Imported {n}",
        "title_es": f"Importada {n}",
        "description": "From a file",
        "category": "marketing",
        "tags": "import, bulk",
        "duration_seconds": "10",
        "aspect_ratio": "16:9",
        "tier": "free",
        "scene_spec": json.dumps(SPEC),
    }
    values.update(overrides)
    return values


def csv_upload(rows: list[dict]) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("templates.csv", buffer.getvalue().encode(), content_type="text/csv")


def test_staff_import_fifty_csv_rows_and_get_an_error_report_per_row(staff_client, django_capture_on_commit_callbacks):
    rows = [row(n) for n in range(50)]
    rows[3] = row(3, category="cooking")
    rows[10] = row(10, scene_spec="{not json")
    rows[20] = row(20, slug="imported-0")  # duplicate of row 1
    rows[30] = row(30, duration_seconds="abc")
    rows[40] = row(40, scene_spec=json.dumps({"scenes": [{"duration": 2, "background": "blue"}]}))
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(reverse("admin:videos_template_import"), {"file": csv_upload(rows)})
    job = TemplateImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:videos_templateimport_change", args=[job.pk])
    assert job.status == TemplateImport.Status.DONE and job.progress == 100
    assert (job.total_rows, job.processed_rows, job.created_count) == (50, 50, 45)
    assert [e["row"] for e in job.errors] == [4, 11, 21, 31, 41]
    assert "category" in job.errors[0]["errors"][0]
    assert "not valid JSON" in job.errors[1]["errors"][0]
    assert "already exists" in job.errors[2]["errors"][0]
    assert "whole number" in job.errors[3]["errors"][0]
    assert "colour" in job.errors[4]["errors"][0]
    imported = Template.objects.get(slug="imported-7")
    assert imported.title_es == "Importada 7" and imported.tag_list == ["import", "bulk"]
    assert (imported.min_duration_seconds, imported.max_duration_seconds) == (5, 20)
    # The report is readable in the admin.
    page = staff_client.get(reverse("admin:videos_templateimport_change", args=[job.pk])).content.decode()
    assert "already exists" in page and "100 %" in page


def test_a_json_file_imports_too(staff_client, django_capture_on_commit_callbacks):
    data = [{**row(1), "scene_spec": SPEC, "tags": ["json", "list"]}, {"slug": "broken"}]
    upload = SimpleUploadedFile("t.json", json.dumps(data).encode(), content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:videos_template_import"), {"file": upload})
    job = TemplateImport.objects.get()
    assert job.created_count == 1 and job.errors[0]["row"] == 2
    assert Template.objects.get(slug="imported-1").tag_list == ["json", "list"]


def test_an_unreadable_file_fails_the_import_with_a_message(staff_client, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("t.json", b"[{", content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:videos_template_import"), {"file": upload})
    job = TemplateImport.objects.get()
    assert job.status == TemplateImport.Status.FAILED and "not valid JSON" in job.message


def test_an_import_that_breaks_while_creating_rows_ends_failed_with_a_readable_message(
    staff_client, django_capture_on_commit_callbacks
):
    # A number too large for the database column passes the row checks and breaks the insert itself.
    rows = [row(1), row(2, duration_seconds=10**20)]
    upload = SimpleUploadedFile("t.json", json.dumps(rows).encode(), content_type="application/json")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:videos_template_import"), {"file": upload})
    job = TemplateImport.objects.get()
    assert job.status == TemplateImport.Status.FAILED and job.finished_at is not None
    assert "unexpected error" in job.message and "/" not in job.message.split("(", 1)[-1]
    assert not Template.objects.filter(slug__startswith="imported-").exists()  # the broken batch rolled back


def test_a_slug_with_spaces_that_is_already_taken_is_a_row_error(staff_client, django_capture_on_commit_callbacks):
    TemplateFactory(slug="imported-1")
    upload = csv_upload([row(1, slug=" imported-1 "), row(2)])
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:videos_template_import"), {"file": upload})
    job = TemplateImport.objects.get()
    assert job.status == TemplateImport.Status.DONE and job.created_count == 1
    assert job.errors[0]["row"] == 1 and "already exists" in job.errors[0]["errors"][0]


def test_a_file_that_is_not_utf8_ends_failed_with_a_message(staff_client, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("t.csv", "slug,title\nkäse,Käse\n".encode("latin-1"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("admin:videos_template_import"), {"file": upload})
    job = TemplateImport.objects.get()
    assert job.status == TemplateImport.Status.FAILED and "UTF-8" in job.message


def test_a_running_import_whose_worker_died_can_be_claimed_again(staff, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from videos.services import template_import_run, template_imports_sweep_stalled

    name = default_storage.save("template-imports/stuck.json", io.BytesIO(json.dumps([row(1)]).encode()))
    job = TemplateImport.objects.create(file=name, created_by=staff, status=TemplateImport.Status.RUNNING)
    TemplateImport.objects.filter(pk=job.pk).update(started_at=timezone.now())
    assert template_import_run(import_id=job.pk) == 0  # still running elsewhere
    assert template_imports_sweep_stalled() == 0

    TemplateImport.objects.filter(pk=job.pk).update(started_at=timezone.now() - timezone.timedelta(hours=2))
    # The periodic sweep sends it again, and the (eager) worker claims and finishes it.
    assert template_imports_sweep_stalled() == 1
    job.refresh_from_db()
    assert job.status == TemplateImport.Status.DONE and Template.objects.filter(slug="imported-1").exists()


def test_only_csv_or_json_files_are_accepted(staff_client):
    upload = SimpleUploadedFile("t.xlsx", b"PK..", content_type="application/octet-stream")
    response = staff_client.post(reverse("admin:videos_template_import"), {"file": upload})
    assert response.status_code == 200 and "Upload a .csv or .json file." in response.content.decode()
    assert not TemplateImport.objects.exists()


@pytest.mark.parametrize(("name", "stored_as"), [("rows.csv", "text/csv"), ("rows.JSON", "application/json")])
def test_an_import_file_is_stored_with_the_type_of_its_checked_suffix_not_the_browsers(
    staff_client, s3_storage, name, stored_as
):
    upload = SimpleUploadedFile(name, b"slug\n", content_type="text/html")
    staff_client.post(reverse("admin:videos_template_import"), {"file": upload})

    job = TemplateImport.objects.get()
    head = s3_storage.head_object(Bucket=BUCKET, Key=job.file.name)
    assert head["ContentType"] == stored_as
    job.file.delete(save=False)


def test_creators_cannot_reach_the_import(creator_client):
    response = creator_client.get(reverse("admin:videos_template_import"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_admin_lists_templates_videos_and_versions(staff_client, creator):
    from tests.videos.factories import VideoFactory, VideoVersionFactory

    VideoVersionFactory(video=VideoFactory(owner=creator))
    for name in (
        "videos_template",
        "videos_video",
        "videos_videoversion",
        "videos_templateimport",
        "videos_mediaasset",
    ):
        assert staff_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    page = staff_client.get(reverse("admin:videos_template_change", args=[Template.objects.first().pk]))
    assert "title_zh_hans" in page.content.decode()


def test_a_thousand_rows_import_in_a_couple_of_seconds(staff, django_capture_on_commit_callbacks):
    import time

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from videos.services import template_import_run

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(row(n) for n in range(1000))
    job = TemplateImport.objects.create(file=default_storage.save("big.csv", ContentFile(buffer.getvalue().encode())))
    started = time.perf_counter()
    assert template_import_run(import_id=job.pk) == 1000
    assert time.perf_counter() - started < 3
    assert template_import_run(import_id=job.pk) == 0  # a second delivery of the task does nothing
    assert Template.objects.filter(slug__startswith="imported-").count() == 1000
