"""Bulk jobs: every row checked at once (per cell, in the reader's language), limits for the whole
job, one video per row through the single-create service, retries, cancel, results."""

import csv
import io

import pytest
from django.core import mail
from django_celery_beat.models import PeriodicTask

from billing import limits
from billing.services.usage import usage_record
from config.errors import DomainError, LimitReached
from teams.models import Notification
from teams.notification_kinds import NotificationKind
from tests.videos.media_tools import make_png, upload_of
from videos import bulk_sheets
from videos.models import BulkJob, BulkRow, MediaAsset, Video, VideoVersion
from videos.services import bulk
from videos.services.bulk import (
    bulk_job_cancel,
    bulk_job_prepare,
    bulk_job_retry_failed,
    bulk_job_start,
    bulk_jobs_sweep_stalled,
    bulk_results_csv,
    bulk_row_errors,
)

pytestmark = pytest.mark.django_db

GOOD = {"title": "Red one", "text_1": "Hello", "background_1": "#112233", "duration": "2"}


def sheet_rows(*rows: dict) -> list[dict]:
    return [dict(row) for row in rows]


def errors_of(job: BulkJob) -> dict[int, dict[str, str]]:
    return {row.number: dict(bulk_row_errors(row)) for row in job.rows.order_by("number") if row.errors}


def test_every_row_is_checked_at_once_with_an_error_on_each_bad_cell(creator, template):
    rows = [
        GOOD,
        {**GOOD, "background_2": "blue"},  # bad colour
        {**GOOD, "title": "  "},  # missing text
        {**GOOD, "media_picture": "nowhere.png"},  # unknown media
        {**GOOD, "text_1": "x" * 301},  # too long
        {**GOOD, "duration": [1, 2], "text_2": {"a": 1}},  # wrong types (JSON)
        {**GOOD, "duration": "abc"},  # not a number
        {**GOOD, "duration": "9"},  # out of the template's range
        {"title": "", "text_1": ""},  # blank: left out, its number kept by the others
        {**GOOD, "title": "Last", "branding": "Nope", "team": "nobody"},
    ]
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=rows)

    assert job.status == BulkJob.Status.VALIDATED and job.row_count == 9 and job.valid_count == 1
    assert not Video.objects.exists()  # nothing is made before the start
    assert errors_of(job) == {
        2: {"background_2": "“blue” is not a colour; write it like #1e1b4b."},
        3: {"title": "This cell is required."},
        4: {"media_picture": "No file uploaded with the sheet and none of your stored media is called “nowhere.png”."},
        5: {"text_1": "At most 300 characters; this has 301."},
        6: {"duration": "This cell must be a number, not a list.", "text_2": "This cell must be text, not an object."},
        7: {"duration": "“abc” is not a number of seconds."},
        8: {"duration": "The duration must be between 1 and 4 seconds."},
        10: {
            "branding": "You have no branding profile called “Nope”.",
            "team": "You cannot make videos in a team called “nobody”.",
        },
    }
    # Kept as a code and its parameters, so each reader gets the sentence in their own language.
    assert job.rows.get(number=5).errors == [
        {"column": "text_1", "code": "too_long", "params": {"max": 300, "length": 301}}
    ]


def test_starting_a_sheet_with_errors_needs_valid_only_and_then_skips_the_bad_rows(
    creator, template, django_capture_on_commit_callbacks
):
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=[GOOD, {**GOOD, "background_1": "#12"}])
    with pytest.raises(DomainError) as refused:
        bulk_job_start(job=job)
    assert refused.value.code == "rows_have_errors"

    with django_capture_on_commit_callbacks(execute=True):
        bulk_job_start(job=job, valid_only=True)

    job.refresh_from_db()
    assert job.status == BulkJob.Status.DONE
    assert (job.selected_count, job.created_count, job.rendered_count, job.failed_count) == (1, 1, 1, 0)
    first, second = job.rows.order_by("number")
    assert first.status == BulkRow.Status.RENDERED and first.video.status == Video.Status.READY
    assert second.status == BulkRow.Status.SKIPPED and second.video is None
    video = first.video
    assert video.title == "Red one" and video.customization["texts"][0] == "Hello"
    assert video.versions.get().render_spec["scenes"][0]["background"] == "#112233"
    # Made as a single create makes it: counted by billing, announced when the job is done.
    assert limits.usage(creator, limits.Metered.VIDEOS_CREATED) == 1
    notification = Notification.objects.get(recipient=creator)
    assert notification.kind == NotificationKind.BULK_DONE and notification.target_url == f"/bulk/{job.pk}/"
    assert [m.to for m in mail.outbox] == [[creator.email]]
    assert f"/bulk/{job.pk}/results.csv" in mail.outbox[0].body


def test_a_sheet_over_the_plans_rows_per_job_is_refused_naming_the_numbers(creator, template):
    allowed = limits.value(creator, limits.Limit.BULK_ROWS_PER_JOB)
    rows = [{**GOOD, "title": f"Row {n}"} for n in range(allowed + 1)]
    with pytest.raises(LimitReached) as refused:
        bulk_job_prepare(user=creator, team=None, template=template, rows=rows)
    assert refused.value.code == "limit_bulk_rows_per_job"
    assert str(refused.value.message) == (
        f"Your plan allows {allowed} rows per bulk job; this sheet has {allowed + 1}. Split it, or upgrade."
    )
    assert not BulkJob.objects.exists()


def test_the_monthly_video_limit_is_checked_for_the_whole_job_up_front(creator, template):
    monthly = limits.value(creator, limits.Limit.VIDEOS_PER_MONTH)
    usage_record(account=creator, kind=limits.Metered.VIDEOS_CREATED, amount=monthly - 2)
    rows = [{**GOOD, "title": f"Row {n}"} for n in range(3)]
    with pytest.raises(LimitReached) as refused:
        bulk_job_prepare(user=creator, team=None, template=template, rows=rows)
    assert refused.value.code == "limit_videos_per_month"
    assert str(refused.value.message) == (
        f"Your plan makes {monthly} videos a month and {monthly - 2} were made this month, so 2 more fit; "
        "this job would make 3. Remove rows, or upgrade."
    )
    # Two rows fit; if single creates take the places meanwhile, the start is refused as a whole.
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=rows[:2])
    usage_record(account=creator, kind=limits.Metered.VIDEOS_CREATED, amount=1)
    with pytest.raises(LimitReached):
        bulk_job_start(job=job)
    assert job.rows.filter(status=BulkRow.Status.VALID).count() == 2 and not Video.objects.exists()


def test_media_come_from_files_uploaded_with_the_sheet_or_the_creators_stored_media(
    creator, template, tmp_path, django_capture_on_commit_callbacks
):
    png = make_png(tmp_path / "shoe.png", colour="green")
    stored = MediaAsset.objects.create(owner=creator, slot="picture", kind="image", file="media/own.png", size_bytes=9)
    from django.core.files.storage import default_storage

    default_storage.save("media/own.png", io.BytesIO(png.read_bytes()))
    rows = [
        {**GOOD, "title": "Uploaded", "media_picture": "shoe.png"},
        {**GOOD, "title": "Stored", "media_picture": f"media:{stored.pk}"},
    ]
    job = bulk_job_prepare(
        user=creator,
        team=None,
        template=template,
        rows=rows,
        media_uploads=[upload_of(png, "image/png")],
    )
    assert job.valid_count == 2, errors_of(job)
    with django_capture_on_commit_callbacks(execute=True):
        bulk_job_start(job=job)

    job.refresh_from_db()
    assert job.rendered_count == 2
    for row in job.rows.all():
        asset = row.video.media_assets.get()
        # Each video owns a copy, so deleting one never takes another's (or the job's) file away.
        assert asset.file.name.startswith(f"videos/{row.video_id}/media/picture")
        assert default_storage.exists(asset.file.name)
    assert default_storage.exists(job.options["media"]["shoe.png"]["name"])


def test_one_bad_row_never_stops_the_others(creator, template, django_capture_on_commit_callbacks):
    rows = [{**GOOD, "title": f"Row {n}"} for n in range(3)]
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=rows)
    # The second row's media vanished after the check: that row fails when made, the others go on.
    row = job.rows.get(number=2)
    row.data["clean"]["media"] = {"picture": {"name": "gone/missing.png", "kind": "image", "size": 1}}
    row.save()
    with django_capture_on_commit_callbacks(execute=True):
        bulk_job_start(job=job)

    job.refresh_from_db()
    statuses = dict(job.rows.values_list("number", "status"))
    assert statuses == {1: BulkRow.Status.RENDERED, 2: BulkRow.Status.FAILED, 3: BulkRow.Status.RENDERED}
    assert job.status == BulkJob.Status.DONE and (job.rendered_count, job.failed_count) == (2, 1)
    assert Video.objects.count() == 2
    assert job.rows.get(number=2).error_message


def test_a_failing_render_is_tried_again_then_reported_with_its_reason(
    creator, template, settings, django_capture_on_commit_callbacks
):
    # A render time limit no render can meet: every attempt fails with the renderer's message.
    settings.VIDEO_RENDER_TIMEOUT_PER_SECOND = 0
    settings.VIDEO_RENDER_TIMEOUT_BASE_SECONDS = 0.001
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=[GOOD])
    with django_capture_on_commit_callbacks(execute=True):
        bulk_job_start(job=job)

    job.refresh_from_db()
    row = job.rows.get()
    assert row.status == BulkRow.Status.FAILED and row.attempts == settings.VIDEO_BULK_RENDER_ATTEMPTS
    assert row.video.versions.count() == settings.VIDEO_BULK_RENDER_ATTEMPTS
    assert set(row.video.versions.values_list("status", flat=True)) == {VideoVersion.Status.FAILED}
    assert "Rendering took longer than" in row.error_message
    assert job.status == BulkJob.Status.DONE and job.failed_count == 1 and job.created_count == 1

    # Retry failed rows: the render runs again (now it can), through the same row and video.
    settings.VIDEO_RENDER_TIMEOUT_PER_SECOND = 10
    settings.VIDEO_RENDER_TIMEOUT_BASE_SECONDS = 120
    with django_capture_on_commit_callbacks(execute=True):
        bulk_job_retry_failed(job=job)
    job.refresh_from_db()
    row.refresh_from_db()
    assert row.status == BulkRow.Status.RENDERED and row.video.status == Video.Status.READY
    assert job.status == BulkJob.Status.DONE and (job.rendered_count, job.failed_count) == (1, 0)
    assert Video.objects.count() == 1


def test_cancel_stops_the_rows_not_yet_made(creator, template, settings):
    settings.VIDEO_BULK_BATCH_SIZE = 2
    rows = [{**GOOD, "title": f"Row {n}"} for n in range(5)]
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=rows)
    bulk_job_start(job=job)  # batches wait for the commit, which a test without it never gives
    bulk.bulk_batch_process(job_id=job.pk, first=1, last=2)  # the first batch ran before the cancel

    bulk_job_cancel(job=job)
    for first, last in [(3, 4), (5, 5)]:  # the later batches arrive after it
        assert bulk.bulk_batch_process(job_id=job.pk, first=first, last=last) == 0

    job.refresh_from_db()
    assert job.status == BulkJob.Status.CANCELLED and job.created_count == 2
    assert job.rows.filter(status=BulkRow.Status.CANCELLED).count() == 3
    assert Video.objects.count() == 2
    with pytest.raises(DomainError):
        bulk_job_cancel(job=job)


def test_a_batch_run_twice_makes_each_row_once(creator, template):
    rows = [{**GOOD, "title": f"Row {n}"} for n in range(3)]
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=rows)
    bulk_job_start(job=job)
    assert bulk.bulk_batch_process(job_id=job.pk, first=1, last=3) == 3
    assert bulk.bulk_batch_process(job_id=job.pk, first=1, last=3) == 0
    assert Video.objects.count() == 3 and limits.usage(creator, limits.Metered.VIDEOS_CREATED) == 3


def test_the_sweeper_queues_again_the_pending_rows_of_a_silent_job(
    creator, template, settings, django_capture_on_commit_callbacks
):
    rows = [{**GOOD, "title": f"Row {n}"} for n in range(2)]
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=rows)
    bulk_job_start(job=job)  # its batch was lost on the way to the broker
    settings.VIDEO_BULK_STALE_AFTER_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        counts = bulk_jobs_sweep_stalled()
    assert counts["requeued"] == 2
    job.refresh_from_db()
    assert job.status == BulkJob.Status.DONE and job.rendered_count == 2
    assert PeriodicTask.objects.filter(task="videos.sweep_stalled_bulk_jobs").exists()


def test_the_results_csv_gives_each_row_its_video_or_its_error(
    creator, template, settings, django_capture_on_commit_callbacks
):
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=[GOOD, {**GOOD, "duration": "x"}])
    with django_capture_on_commit_callbacks(execute=True):
        bulk_job_start(job=job, valid_only=True)
    job.refresh_from_db()
    lines = list(bulk_results_csv(job=job))
    video = job.rows.get(number=1).video
    assert lines[0] == ["row", "status", "title", "video_id", "video_url", "error"]
    assert lines[1] == ["1", "Rendered", "Red one", str(video.pk), f"{settings.SITE_URL}/videos/{video.pk}/", ""]
    assert lines[2][:4] == ["2", "Not started", "Red one", ""]
    assert lines[2][5] == "duration: “x” is not a number of seconds."


def test_sheets_are_read_from_csv_pasted_text_and_xlsx(template):
    columns = bulk_sheets.columns_for(template)
    assert columns == [
        "title", "text_1", "text_2", "background_1", "background_2", "text_color", "duration", "media_picture",
        "branding", "team",
    ]  # fmt: skip
    from_csv = bulk_sheets.read_sheet(
        name="a.csv", handle=io.BytesIO(bulk_sheets.column_template_csv(template).encode("utf-8-sig"))
    )
    from_xlsx = bulk_sheets.read_sheet(name="a.xlsx", handle=io.BytesIO(bulk_sheets.column_template_xlsx(template)))
    pasted = bulk_sheets.read_csv_text("Title\tText 1\tDuration\nFrom a spreadsheet\tHi\t3\n")
    assert from_csv == [{**dict.fromkeys(columns, ""), **bulk_sheets.example_row(template)}]
    assert from_xlsx[0]["title"] == template.title and from_xlsx[0]["text_1"] == "Hello"
    assert pasted == [{"title": "From a spreadsheet", "text_1": "Hi", "duration": "3"}]
    with pytest.raises(DomainError):
        bulk_sheets.read_sheet(name="x.csv", handle=io.BytesIO(b"name,price\nshoe,3\n"))
    with pytest.raises(DomainError):
        bulk_sheets.read_sheet(name="x.xlsx", handle=io.BytesIO(b"PK\x03\x04 not really a zip"))


def test_an_xlsx_number_in_a_text_cell_is_text_and_a_date_is_a_wrong_type(creator, template):
    from datetime import datetime

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["title", "text_1", "duration"])
    sheet.append([2026, 42.0, 3])
    sheet.append(["Dated", datetime(2026, 1, 1), 2.5])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    rows = bulk_sheets.read_sheet(name="s.xlsx", handle=out)
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=rows)
    first = job.rows.get(number=1)
    assert first.errors == [] and first.data["clean"]["title"] == "2026"
    assert first.data["clean"]["customization"]["texts"][0] == "42"
    assert errors_of(job) == {2: {"text_1": "This cell must be text, not a date."}}


def test_results_csv_is_valid_csv(creator, template):
    job = bulk_job_prepare(user=creator, team=None, template=template, rows=[{**GOOD, "title": 'A "quoted", title'}])
    out = io.StringIO()
    csv.writer(out).writerows(bulk_results_csv(job=job))
    assert list(csv.reader(io.StringIO(out.getvalue())))[1][2] == 'A "quoted", title'


def test_a_row_names_a_branding_profile_of_the_workspace_when_the_plan_includes_branding(
    creator, template, tmp_path, django_capture_on_commit_callbacks
):
    from billing.models import Plan
    from tests.videos.media_tools import make_png
    from videos.services import branding_profile_create

    Plan.objects.filter(is_default=True).update(branding=True)
    logo = upload_of(make_png(tmp_path / "logo.png"), "image/png")
    profile = branding_profile_create(actor=creator, team=None, name="Shop logo", logo=logo)
    Plan.objects.filter(is_default=True).update(branding=False)
    rows = [{**GOOD, "branding": "shop logo"}]
    refused = bulk_job_prepare(user=creator, team=None, template=template, rows=rows)
    assert errors_of(refused) == {1: {"branding": "Your plan does not include logo branding."}}

    Plan.objects.filter(is_default=True).update(branding=True)
    job = bulk_job_prepare(
        user=creator, team=None, template=template, rows=[*rows, {**GOOD, "branding": str(profile.pk)}]
    )
    assert job.valid_count == 2
    with django_capture_on_commit_callbacks(execute=True):
        bulk_job_start(job=job)
    job.refresh_from_db()
    assert job.rendered_count == 2
    for row in job.rows.all():
        assert row.video.versions.get().render_spec["branding"]["profile_id"] == profile.pk


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(settings, monkeypatch):
    import zipfile

    monkeypatch.setattr(bulk_sheets, "MAX_XLSX_UNPACKED_BYTES", 1_000_000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "<a/>" * 300_000)  # 1.2 MB of XML, a few KB packed
    assert out.tell() < 50_000
    with pytest.raises(DomainError) as refused:
        bulk_sheets.read_sheet(name="bomb.xlsx", handle=io.BytesIO(out.getvalue()))
    assert refused.value.code == "xlsx_too_large"
