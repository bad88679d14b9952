"""Bulk jobs on the pages, in the API and in the ops console: sheet in, preview with errors, start,
progress, cancel, retry, results; another person's job is a 404."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from billing import limits
from tests.videos.media_tools import make_png
from videos.models import BulkJob, BulkRow, ExportJob, Video
from videos.services.bulk import bulk_job_prepare, bulk_job_start

pytestmark = pytest.mark.django_db

GOOD = {"title": "Red one", "text_1": "Hello", "background_1": "#112233", "duration": "2"}


def csv_bytes(rows: list[dict]) -> bytes:
    out = io.StringIO()
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def results_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


# --- Pages ------------------------------------------------------------------------------------------


def test_the_template_page_links_to_make_many_and_the_sheets_name_the_templates_columns(creator_client, template):
    page = creator_client.get(reverse("videos:template_use", args=[template.slug])).content.decode()
    assert reverse("videos:bulk_new", args=[template.slug]) in page

    as_csv = creator_client.get(reverse("videos:bulk_columns", args=[template.slug, "csv"]))
    assert as_csv["Content-Type"] == "text/csv" and "attachment" in as_csv["Content-Disposition"]
    header = as_csv.content.decode("utf-8-sig").splitlines()[0]
    assert header == "title,text_1,text_2,background_1,background_2,text_color,duration,media_picture,branding,team"
    as_xlsx = creator_client.get(reverse("videos:bulk_columns", args=[template.slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(as_xlsx.content), read_only=True).worksheets[0]
    assert list(next(sheet.iter_rows(values_only=True))) == header.split(",")


def test_an_uploaded_sheet_is_previewed_with_its_errors_then_started_with_the_valid_rows(
    creator_client, creator, template, tmp_path, django_capture_on_commit_callbacks
):
    png = make_png(tmp_path / "shoe.png")
    sheet = csv_bytes([{**GOOD, "media_picture": "shoe.png"}, {**GOOD, "title": "Bad", "background_2": "red"}])
    response = creator_client.post(
        reverse("videos:bulk_new", args=[template.slug]),
        {
            "sheet": SimpleUploadedFile("products.csv", sheet, content_type="text/csv"),
            "media_1": SimpleUploadedFile("shoe.png", png.read_bytes(), content_type="image/png"),
            "quality": "draft",
        },
    )
    job = BulkJob.objects.get(owner=creator)
    assert response.status_code == 302 and response.url == reverse("videos:bulk_detail", args=[job.pk])
    assert (job.row_count, job.valid_count, job.quality, job.source_name) == (2, 1, "draft", "products.csv")

    preview = creator_client.get(response.url).content.decode()
    assert "“red” is not a colour; write it like #1e1b4b." in preview and 'data-column="background_2"' in preview
    assert "Start with the 1 valid row only" in preview and not Video.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        started = creator_client.post(reverse("videos:bulk_start", args=[job.pk]), {"valid_only": "on"})
    assert started.status_code == 302
    job.refresh_from_db()
    assert job.status == BulkJob.Status.DONE and job.rendered_count == 1
    video = job.rows.get(number=1).video
    assert video.media_assets.count() == 1
    assert video.versions.get().render_spec["quality"] == "draft"

    status = creator_client.get(reverse("videos:bulk_status", args=[job.pk])).content.decode()
    assert 'data-count="rendered">1<' in status and "hx-get" not in status  # done: no more polling
    results = results_of(creator_client.get(reverse("videos:bulk_results", args=[job.pk])))
    assert [line[:4] for line in results[1:]] == [
        ["1", "Rendered", "Red one", str(video.pk)],
        ["2", "Not started", "Bad", ""],
    ]


def test_pasted_rows_work_and_a_running_job_is_polled_and_cancelled(creator_client, creator, template):
    pasted = "title\ttext_1\nFirst\tHi\nSecond\tThere\n"
    response = creator_client.post(
        reverse("videos:bulk_new", args=[template.slug]), {"pasted": pasted, "quality": "final"}
    )
    job = BulkJob.objects.get(owner=creator)
    assert response.status_code == 302 and job.valid_count == 2
    creator_client.post(reverse("videos:bulk_start", args=[job.pk]))  # no commit here: the batches wait

    status = creator_client.get(reverse("videos:bulk_status", args=[job.pk])).content.decode()
    assert f'hx-get="{reverse("videos:bulk_status", args=[job.pk])}"' in status
    creator_client.post(reverse("videos:bulk_cancel", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == BulkJob.Status.CANCELLED
    assert set(job.rows.values_list("status", flat=True)) == {BulkRow.Status.CANCELLED}


def test_a_sheet_over_the_limit_is_refused_on_the_form_with_the_numbers(creator_client, creator, template):
    allowed = limits.value(creator, limits.Limit.BULK_ROWS_PER_JOB)
    sheet = csv_bytes([{**GOOD, "title": f"Row {n}"} for n in range(allowed + 5)])
    response = creator_client.post(
        reverse("videos:bulk_new", args=[template.slug]),
        {"sheet": SimpleUploadedFile("big.csv", sheet), "quality": "final"},
    )
    assert response.status_code == 200
    assert f"Your plan allows {allowed} rows per bulk job; this sheet has {allowed + 5}." in response.content.decode()
    assert not BulkJob.objects.exists()


def test_a_file_that_is_not_a_sheet_is_refused_on_the_form(creator_client, template):
    response = creator_client.post(
        reverse("videos:bulk_new", args=[template.slug]),
        {"sheet": SimpleUploadedFile("sheet.xlsx", b"not a workbook"), "quality": "final"},
    )
    assert response.status_code == 200 and "This file is not an XLSX workbook." in response.content.decode()


@pytest.mark.parametrize("person", ["outsider", "editor", "team_admin"])
def test_a_bulk_job_is_its_owners_alone_even_in_a_team(request, client_for, creator, team, template, person):
    """Jobs are personal, as exports are: teammates see the videos a job made, not the job."""
    job = bulk_job_prepare(user=creator, team=team, template=template, rows=[GOOD])
    client = client_for(request.getfixturevalue(person))
    for name in ("bulk_detail", "bulk_status", "bulk_results"):
        assert client.get(reverse(f"videos:{name}", args=[job.pk])).status_code == 404
    for name in ("bulk_start", "bulk_cancel", "bulk_retry", "bulk_export"):
        assert client.post(reverse(f"videos:{name}", args=[job.pk])).status_code == 404
    assert client.get(reverse("videos:bulk_list")).content.decode().count("data-job=") == 0
    job.refresh_from_db()
    assert job.status == BulkJob.Status.VALIDATED
    assert client_for(creator).get(reverse("videos:bulk_detail", args=[job.pk])).status_code == 200


def test_a_viewer_cannot_make_many_in_the_team(client_for, viewer, team, template):
    client = client_for(viewer)
    session = client.session
    from teams.workspaces import SESSION_KEY

    session[SESSION_KEY] = team.pk
    session.save()
    response = client.post(
        reverse("videos:bulk_new", args=[template.slug]), {"pasted": "title\nA\n", "quality": "final"}
    )
    assert response.status_code == 403 and not BulkJob.objects.exists()


def test_the_job_list_costs_the_same_queries_for_many_jobs(
    creator_client, creator, template, django_assert_max_num_queries
):
    for n in range(3):
        bulk_job_prepare(user=creator, team=None, template=template, rows=[{**GOOD, "title": f"Job {n}"}])
    with django_assert_max_num_queries(8):
        page = creator_client.get(reverse("videos:bulk_list"))
    assert page.content.decode().count("data-job=") == 3


def test_all_rendered_videos_are_exported_as_one_zip(
    creator_client, creator, template, django_capture_on_commit_callbacks
):
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=[GOOD, {**GOOD, "title": "Two"}])
    with django_capture_on_commit_callbacks(execute=True):
        bulk_job_start(job=job)
    with django_capture_on_commit_callbacks(execute=True):
        response = creator_client.post(reverse("videos:bulk_export", args=[job.pk]))
    export = ExportJob.objects.get(owner=creator)
    assert response.url == reverse("videos:export_detail", args=[export.pk])
    assert export.status == ExportJob.Status.READY and export.video_count == 2


# --- API --------------------------------------------------------------------------------------------


def test_the_api_makes_many_videos_from_a_json_array_and_reports_progress_rows_and_results(
    creator_api, creator, template, django_capture_on_commit_callbacks
):
    rows = [GOOD, {**GOOD, "title": "Two", "duration": 3}, {**GOOD, "title": "Bad", "text_color": 12}]
    with django_capture_on_commit_callbacks(execute=True):
        response = creator_api.post(
            reverse("api-bulk-videos"), {"template": template.slug, "rows": rows}, format="json"
        )
    assert response.status_code == 201
    created = response.json()
    # A row has errors and valid_only was not asked for: checked, listed, not started.
    assert created["status"] == "validated" and created["invalid_count"] == 1
    assert created["errors"] == [{"row": 3, "column": "text_color", "message": "This cell must be text, not a number."}]

    job_url = reverse("api-bulk-job-detail", args=[created["id"]])
    with django_capture_on_commit_callbacks(execute=True):
        started = creator_api.post(reverse("api-bulk-job-start", args=[created["id"]]), {"valid_only": True})
    assert started.status_code == 200 and started.json()["status"] in ("running", "done")
    detail = creator_api.get(job_url).json()
    assert (detail["status"], detail["created_count"], detail["rendered_count"], detail["progress"]) == (
        "done",
        2,
        2,
        100,
    )
    listed = creator_api.get(reverse("api-bulk-job-rows", args=[created["id"]])).json()
    assert listed["count"] == 3 and [row["status"] for row in listed["results"]] == ["rendered", "rendered", "skipped"]
    assert listed["results"][2]["errors"][0]["code"] == "type" and listed["results"][0]["video"]
    results = results_of(creator_api.get(reverse("api-bulk-job-results", args=[created["id"]])))
    assert len(results) == 4 and results[1][1] == "Rendered"
    assert [job["id"] for job in creator_api.get(reverse("api-bulk-job-list")).json()["results"]] == [created["id"]]


def test_the_api_starts_at_once_cancels_and_retries(creator_api, creator, template):
    response = creator_api.post(
        reverse("api-bulk-videos"),
        {"template": template.slug, "rows": [GOOD, {**GOOD, "title": "Two"}], "quality": "draft"},
        format="json",
    )
    job_id = response.json()["id"]
    assert response.json()["status"] == "running"  # the batches wait for a commit this test never makes
    cancelled = creator_api.post(reverse("api-bulk-job-cancel", args=[job_id]))
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = creator_api.post(reverse("api-bulk-job-cancel", args=[job_id]))
    assert again.status_code == 400 and again.json()["code"] == "not_cancellable"
    retry = creator_api.post(reverse("api-bulk-job-retry-failed", args=[job_id]))
    assert retry.status_code == 400 and retry.json()["code"] == "nothing_to_retry"


def test_the_api_refuses_a_job_over_the_plans_limits_and_hides_other_peoples_jobs(
    creator_api, outsider_api, creator, template
):
    allowed = limits.value(creator, limits.Limit.BULK_ROWS_PER_JOB)
    rows = [{**GOOD, "title": f"Row {n}"} for n in range(allowed + 1)]
    refused = creator_api.post(reverse("api-bulk-videos"), {"template": template.slug, "rows": rows}, format="json")
    assert refused.status_code == 402 and refused.json()["code"] == "limit_bulk_rows_per_job"
    assert str(allowed + 1) in refused.json()["detail"]

    job = bulk_job_prepare(user=creator, team=None, template=template, rows=[GOOD])
    assert outsider_api.get(reverse("api-bulk-job-detail", args=[job.pk])).status_code == 404
    assert outsider_api.get(reverse("api-bulk-job-rows", args=[job.pk])).status_code == 404
    assert outsider_api.post(reverse("api-bulk-job-start", args=[job.pk])).status_code == 404
    assert outsider_api.get(reverse("api-bulk-job-list")).json()["results"] == []
    bad = creator_api.post(reverse("api-bulk-videos"), {"template": template.slug, "rows": "nope"}, format="json")
    assert bad.status_code == 400


def test_creating_bulk_jobs_through_the_api_is_rate_limited(creator_api, template, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "bulk": "2/hour"},
    }
    body = {"template": template.slug, "rows": [GOOD], "start": False}
    codes = [creator_api.post(reverse("api-bulk-videos"), body, format="json").status_code for _ in range(3)]
    assert codes == [201, 201, 429]


# --- Ops console ------------------------------------------------------------------------------------


def act(client, action, jobs):
    return client.post(
        reverse("admin:videos_bulkjob_changelist"),
        {"action": action, "_selected_action": [job.pk for job in jobs]},
        follow=True,
    )


def test_staff_see_jobs_with_status_owner_and_counts_and_cancel_and_retry_through_the_services(
    staff_client, creator, template, settings, django_capture_on_commit_callbacks
):
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=[GOOD, {**GOOD, "title": "Two"}])
    bulk_job_start(job=job)
    page = staff_client.get(reverse("admin:videos_bulkjob_changelist")).content.decode()
    assert creator.email in page and "Making videos" in page and template.title in page
    assert staff_client.get(reverse("admin:videos_bulkjob_add")).status_code == 403

    assert "1 bulk job cancelled." in act(staff_client, "cancel", [job]).content.decode()
    job.refresh_from_db()
    assert job.status == BulkJob.Status.CANCELLED

    # A job whose renders all failed: the console tries them again.
    settings.VIDEO_RENDER_TIMEOUT_PER_SECOND = 0
    settings.VIDEO_RENDER_TIMEOUT_BASE_SECONDS = 0.001
    failing = bulk_job_prepare(user=creator, team=None, template=template, rows=[GOOD])
    with django_capture_on_commit_callbacks(execute=True):
        bulk_job_start(job=failing)
    failing.refresh_from_db()
    assert failing.failed_count == 1
    settings.VIDEO_RENDER_TIMEOUT_PER_SECOND = 10
    settings.VIDEO_RENDER_TIMEOUT_BASE_SECONDS = 120
    with django_capture_on_commit_callbacks(execute=True):
        response = act(staff_client, "retry_failed", [failing])
    assert "1 bulk job tries its failed rows again." in response.content.decode()
    failing.refresh_from_db()
    assert (failing.status, failing.rendered_count, failing.failed_count) == (BulkJob.Status.DONE, 1, 0)


def test_staff_who_may_only_view_cannot_act_on_bulk_jobs(client_for, creator, template):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    viewer_staff = UserFactory(is_staff=True)
    viewer_staff.user_permissions.add(Permission.objects.get(codename="view_bulkjob"))
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=[GOOD])
    bulk_job_start(job=job)
    client = client_for(viewer_staff)
    assert client.get(reverse("admin:videos_bulkjob_changelist")).status_code == 200
    act(client, "cancel", [job])
    job.refresh_from_db()
    assert job.status == BulkJob.Status.RUNNING
