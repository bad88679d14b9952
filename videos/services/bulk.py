"""Bulk generation: one template, a sheet of rows, one video per row.

The flow: `bulk_job_prepare` checks every row of the sheet at once and stores them with their
errors (the preview); `bulk_job_start` checks the plan's limits for the whole job and queues the
valid rows in batches; `bulk_batch_process` (a task on the bulk queue) makes each row's video
through the same service as a single create (`video_create_from_template`) and queues its render
on the bulk queue; the renderer's `render_settled` signal moves the row on (rendered, retried,
failed) and the last one finishes the job (e-mail and notification).

Exactly once: a row is claimed by one conditional UPDATE (pending -> created) in the same
transaction that creates its video, so a worker killed mid-batch rolls both back and the row is
claimed again by the next attempt (the redelivered task or the sweeper's); a duplicate batch finds
the row no longer pending. Counts are recounted from the rows under the job's row lock.
"""

import logging
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from billing import limits
from config.errors import DomainError, LimitReached, NotFound
from teams.models import Team, User
from teams.notification_kinds import NotificationKind
from teams.permissions import ROLE_ACTIONS, Action, team_get_for_user
from teams.services.emails import email_queue
from teams.services.notifications import notification_send
from videos import bulk_sheets
from videos.media import accept_image_or_clip, delete_from_storage, save_to_storage
from videos.models import BrandingProfile, BulkJob, BulkRow, ExportJob, MediaAsset, Template, VideoVersion
from videos.selectors import account_for, template_is_locked
from videos.services.videos import video_create_from_template, video_rerender

logger = logging.getLogger(__name__)

OPEN_STATUSES = (BulkRow.Status.PENDING, BulkRow.Status.CREATED)


# --- Checking and preparing -------------------------------------------------------------------------


def bulk_context(
    *, user: User, team: Team | None, template: Template, uploaded_media: dict[str, dict[str, Any]] | None = None
) -> bulk_sheets.Context:
    """What the rows of a sheet may name: uploaded and stored media, branding profiles, teams."""
    stored = {}
    for pk, name, kind, size in MediaAsset.objects.filter(owner=user).values_list("pk", "file", "kind", "size_bytes")[
        :2000
    ]:
        stored[f"media:{pk}"] = {"name": name, "kind": kind, "size": size}
    creator_roles = [role for role, actions in ROLE_ACTIONS.items() if Action.CREATE in actions]
    teams: dict[str, int] = {}
    for pk, slug, name in Team.objects.filter(memberships__user=user, memberships__role__in=creator_roles).values_list(
        "pk", "slug", "name"
    ):
        teams.setdefault(slug.lower(), pk)
        teams.setdefault(name.lower(), pk)
    branding: dict[str, int] = {}
    # A video takes a logo of its own workspace only (videos.services.branding_render.branding_chosen).
    if team is not None:
        profiles = BrandingProfile.objects.filter(team=team)
    else:
        profiles = BrandingProfile.objects.filter(owner=user, team__isnull=True)
    for pk, name in profiles.values_list("pk", "name"):
        branding.setdefault(name.lower(), pk)
        branding[str(pk)] = pk
    return bulk_sheets.Context(
        template=template,
        uploaded_media=uploaded_media or {},
        stored_media=stored,
        branding=branding,
        branding_allowed=limits.allows(account_for(user=user, team=team), limits.Limit.BRANDING),
        teams=teams,
    )


def _check_rows_per_job(*, account: User | Team, count: int) -> None:
    try:
        limits.check(account, limits.Limit.BULK_ROWS_PER_JOB, used=0, adding=count)
    except LimitReached:
        limit = limits.value(account, limits.Limit.BULK_ROWS_PER_JOB)
        raise LimitReached(
            _("Your plan allows %(limit)d rows per bulk job; this sheet has %(count)d. Split it, or upgrade.")
            % {"limit": limit, "count": count},
            code="limit_bulk_rows_per_job",
        ) from None


def _check_month(*, account: User | Team, count: int) -> None:
    try:
        limits.check_usage(account, limits.Metered.VIDEOS_CREATED, adding=count)
    except LimitReached:
        limit = int(limits.value(account, limits.Limit.VIDEOS_PER_MONTH) or 0)
        used = limits.usage(account, limits.Metered.VIDEOS_CREATED)
        raise LimitReached(
            _(
                "Your plan makes %(limit)d videos a month and %(used)d were made this month, so %(left)d more "
                "fit; this job would make %(count)d. Remove rows, or upgrade."
            )
            % {"limit": limit, "used": used, "left": max(0, limit - used), "count": count},
            code="limit_videos_per_month",
        ) from None


def _accounts_of(*, job_team: Team | None, user: User, rows: list[dict[str, Any]]) -> dict[User | Team, int]:
    """How many of `rows` (their `clean` data) go to each account: a row's team, else the job's workspace."""
    team_ids = {row["team"] for row in rows if row.get("team")}
    teams = {team.pk: team for team in Team.objects.filter(pk__in=team_ids)}
    counts: dict[User | Team, int] = {}
    for row in rows:
        account = teams.get(row.get("team")) or account_for(user=user, team=job_team)
        counts[account] = counts.get(account, 0) + 1
    return counts


def _check_limits(*, user: User, team: Team | None, rows: list[dict[str, Any]], total: int) -> None:
    _check_rows_per_job(account=account_for(user=user, team=team), count=total)
    for account, count in _accounts_of(job_team=team, user=user, rows=rows).items():
        _check_month(account=account, count=count)


def _store_media(*, user: User, uploads: list[UploadedFile], stored: list[str]) -> dict[str, dict[str, Any]]:
    """Check and store the media files sent with a sheet; by the name the sheet uses (the file's name)."""
    folder = f"bulk/{user.pk}/{secrets.token_hex(8)}"
    media: dict[str, dict[str, Any]] = {}
    for index, upload in enumerate(uploads, start=1):
        name = PurePath(upload.name or "").name[:200]
        with tempfile.TemporaryDirectory(prefix="bulk-media-") as tmp:
            local = Path(tmp) / "upload"
            with local.open("wb") as sink:
                for chunk in upload.chunks():
                    sink.write(chunk)
            try:
                checked = accept_image_or_clip(local, work=Path(tmp))
            except DomainError as exc:
                raise DomainError(f"“{name}”: {exc.message}", code=exc.code, field="media") from None
            stored_name = save_to_storage(
                checked.path, f"{folder}/{index}{checked.extension}", content_type=checked.content_type
            )
            stored.append(stored_name)
        media[name] = {"name": stored_name, "kind": checked.kind, "size": checked.probe.size_bytes}
    return media


def bulk_job_prepare(
    *,
    user: User,
    team: Team | None,
    template: Template,
    rows: list[dict[str, Any]],
    source_name: str = "",
    quality: str = BulkJob.Quality.FINAL,
    media_uploads: list[UploadedFile] | None = None,
) -> BulkJob:
    """Check every row of a sheet and keep them, with their errors, as a job not yet started.

    `rows` come from `videos.bulk_sheets` (read_sheet, read_csv_text, rows_from_json); `team` from
    `teams.permissions.team_get_for_user(action=Action.CREATE)` or None for the personal workspace.
    The plan's rows per job and videos per month are checked for the whole sheet up front.
    """
    if team is not None:
        team_get_for_user(user=user, team_id=team.pk, action=Action.CREATE)
    account = account_for(user=user, team=team)
    if template_is_locked(account=account, template=template):
        limits.check(account, limits.Limit.PRO_TEMPLATES)
    if quality not in BulkJob.Quality.values:
        raise DomainError(_("Choose final or draft quality."), field="quality")
    context = bulk_context(user=user, team=team, template=template)
    # Counted before the media are stored: a sheet over the limit is refused before any slow work.
    checked = bulk_sheets.check_rows(rows, context)
    if not checked:
        raise DomainError(_("The sheet has no rows to make videos from."), code="no_rows", field="sheet")
    _check_rows_per_job(account=account, count=len(checked))
    stored: list[str] = []
    try:
        uploaded = _store_media(user=user, uploads=list(media_uploads or []), stored=stored)
        if uploaded:
            context.uploaded_media = uploaded
            checked = bulk_sheets.check_rows(rows, context)
        valid = [row.clean for row in checked if not row.errors]
        _check_limits(user=user, team=team, rows=valid, total=len(checked))
        with transaction.atomic():
            job = BulkJob.objects.create(
                owner=user,
                team=team,
                template=template,
                quality=quality,
                source_name=source_name[:200],
                options={
                    "media": uploaded,
                    "ignored_columns": bulk_sheets.unknown_columns(rows, template),
                },
                row_count=len(checked),
                valid_count=len(valid),
            )
            BulkRow.objects.bulk_create(
                [
                    BulkRow(
                        job=job,
                        number=row.number,
                        data={"cells": row.cells, "clean": row.clean},
                        errors=row.errors,
                        status=BulkRow.Status.INVALID if row.errors else BulkRow.Status.VALID,
                    )
                    for row in checked
                ],
                batch_size=500,
            )
    except BaseException:
        # Storage is not transactional: without the job, nothing may point at these files.
        delete_from_storage(stored)
        raise
    return job


# --- Starting, batches, renders ---------------------------------------------------------------------


def _batches(numbers: list[int]) -> list[tuple[int, int]]:
    size = settings.VIDEO_BULK_BATCH_SIZE
    return [(chunk[0], chunk[-1]) for chunk in (numbers[i : i + size] for i in range(0, len(numbers), size))]


def _enqueue_batches(job_id: int, numbers: list[int]) -> None:
    from videos.tasks import bulk_process_batch

    batches = _batches(sorted(numbers))
    transaction.on_commit(lambda: [bulk_process_batch.delay(job_id, first, last) for first, last in batches])


def _enqueue_render(row_id: int) -> None:
    from videos.tasks import bulk_render_row

    transaction.on_commit(lambda: bulk_render_row.delay(row_id))


def _lock_accounts(*, user: User, job: BulkJob, rows: list[dict[str, Any]]) -> dict[User | Team, int]:
    counts = _accounts_of(job_team=job.team, user=user, rows=rows)
    for account in counts:
        model = Team if isinstance(account, Team) else User
        # Two starts at once (or a start beside single creates) would both pass a monthly check.
        if not model.objects.select_for_update().filter(pk=account.pk).exists():
            raise NotFound()
    return counts


@transaction.atomic
def bulk_job_start(*, job: BulkJob, valid_only: bool = False) -> BulkJob:
    """Queue a checked job's valid rows for making, in batches, after checking the plan for all of them.

    Rows with errors stop the start unless `valid_only`, which leaves them out ("not started").
    `job` comes from `videos.permissions.bulk_job_get_for_user`.
    """
    job = BulkJob.objects.select_for_update(of=("self",)).select_related("team", "template", "owner").get(pk=job.pk)
    if job.status != BulkJob.Status.VALIDATED:
        raise DomainError(_("This bulk job has already been started."), code="already_started")
    if job.invalid_count and not valid_only:
        raise DomainError(
            _("%(count)d rows have errors. Fix them and upload the sheet again, or start with the valid rows only.")
            % {"count": job.invalid_count},
            code="rows_have_errors",
        )
    valid = list(job.rows.filter(status=BulkRow.Status.VALID).values_list("number", "data"))
    if not valid:
        raise DomainError(_("No row is valid: fix the sheet and upload it again."), code="no_valid_rows")
    owner = job.owner
    if job.team is not None:
        team_get_for_user(user=owner, team_id=job.team_id, action=Action.CREATE)
    rows = [data["clean"] for _number, data in valid]
    _check_rows_per_job(account=account_for(user=owner, team=job.team), count=len(valid))
    for account, count in _lock_accounts(user=owner, job=job, rows=rows).items():
        _check_month(account=account, count=count)
    job.rows.filter(status=BulkRow.Status.VALID).update(status=BulkRow.Status.PENDING)
    job.rows.filter(status=BulkRow.Status.INVALID).update(status=BulkRow.Status.SKIPPED)
    now = timezone.now()
    job.status = BulkJob.Status.RUNNING
    job.selected_count = len(valid)
    job.started_at = job.heartbeat_at = now
    job.save(update_fields=["status", "selected_count", "started_at", "heartbeat_at"])
    _enqueue_batches(job.pk, [number for number, _data in valid])
    return job


def _make_video(*, job: BulkJob, row: BulkRow, teams: dict[int, Team]) -> int:
    """The row's video, made through the single-create service; its id."""
    clean = row.data["clean"]
    owner = job.owner
    team = job.team
    if clean.get("team"):
        if clean["team"] not in teams:
            teams[clean["team"]] = team_get_for_user(user=owner, team_id=clean["team"], action=Action.CREATE)
        team = teams[clean["team"]]
    customization = dict(clean["customization"])
    if clean.get("branding"):
        # The single create's own choice of logo: checked there (a profile of this workspace, a plan with branding).
        customization["branding_profile"] = clean["branding"]
    video = video_create_from_template(
        user=owner,
        team=team,
        template=job.template,
        title=clean["title"] or job.template.title,
        customization=customization,
        slot_stored=clean.get("media") or None,
        quality=job.quality,
        enqueue_render=False,
    )
    return video.pk


def bulk_batch_process(*, job_id: int, first: int, last: int) -> int:
    """Make the videos of the job's pending rows numbered `first`..`last`; how many this call made.

    Idempotent: each row is claimed (pending -> created) in the transaction that makes its video.
    One row's failure (a refusal, a missing media file) fails that row only.
    """
    job = BulkJob.objects.select_related("owner", "team", "template").filter(pk=job_id).first()
    if job is None or job.status != BulkJob.Status.RUNNING:
        return 0
    BulkJob.objects.filter(pk=job_id).update(heartbeat_at=timezone.now())
    rows = list(job.rows.filter(number__gte=first, number__lte=last, status=BulkRow.Status.PENDING).order_by("number"))
    made: list[int] = []
    teams: dict[int, Team] = {}
    # One batch asks the same account's plan for every row: it is looked up once per batch.
    with limits.plans_remembered(), transaction.atomic():
        for row in rows:
            with transaction.atomic():
                claimed = BulkRow.objects.filter(pk=row.pk, status=BulkRow.Status.PENDING).update(
                    status=BulkRow.Status.CREATED, attempts=1, error_message=""
                )
                if not claimed:
                    continue  # cancelled, or made by another attempt meanwhile
                try:
                    with transaction.atomic():
                        video_id = _make_video(job=job, row=row, teams=teams)
                except (OperationalError, InterfaceError):
                    raise  # the database went away: the whole batch is tried again
                except DomainError as exc:
                    _fail_row(row.pk, str(exc.message))
                    continue
                except Exception as exc:
                    logger.exception("Bulk job %s row %s could not be made", job_id, row.number)
                    _fail_row(row.pk, _("The video could not be made (%(reason)s).") % {"reason": type(exc).__name__})
                    continue
                BulkRow.objects.filter(pk=row.pk).update(video_id=video_id)
                made.append(row.pk)
                _enqueue_render(row.pk)
    _recount(job_id=job_id)
    return len(made)


def _fail_row(row_id: int, message: str) -> None:
    BulkRow.objects.filter(pk=row_id).update(status=BulkRow.Status.FAILED, error_message=message[:1000])


def bulk_row_render(*, row_id: int) -> bool:
    """Render the queued version of a bulk row's video (the bulk queue's render task); True if done here."""
    from videos.services.versions import version_render

    row = BulkRow.objects.filter(pk=row_id, status=BulkRow.Status.CREATED).values_list("video_id", flat=True).first()
    if row is None:
        return False
    version_id = (
        VideoVersion.objects.filter(video_id=row, status__in=[VideoVersion.Status.QUEUED])
        .order_by("-number")
        .values_list("pk", flat=True)
        .first()
    )
    if version_id is None:
        return False
    return version_render(version_id=version_id)


def bulk_row_settle(*, video_id: int, version_id: int, ready: bool) -> None:
    """Move a bulk row on after its video's render ended: rendered, tried again, or failed for good.

    Called (through the `render_settled` signal) in the transaction that finished or failed the render.
    """
    found = BulkRow.objects.filter(video_id=video_id).values_list("pk", "job_id").first()
    if found is None:
        return
    row_id, job_id = found
    BulkJob.objects.select_for_update().filter(pk=job_id).exists()  # one settle of a job at a time
    row = BulkRow.objects.select_for_update(of=("self",)).select_related("video").get(pk=row_id)
    if row.status != BulkRow.Status.CREATED:
        return
    if ready:
        row.status, row.error_message = BulkRow.Status.RENDERED, ""
    elif row.attempts < settings.VIDEO_BULK_RENDER_ATTEMPTS:
        video_rerender(video=row.video, actor=None, enqueue_render=False)
        row.attempts += 1
        _enqueue_render(row.pk)
    else:
        row.status = BulkRow.Status.FAILED
        row.error_message = VideoVersion.objects.filter(pk=version_id).values_list("error_message", flat=True).first()
    row.save(update_fields=["status", "error_message", "attempts", "updated_at"])
    _recount(job_id=job_id)


@transaction.atomic
def _recount(*, job_id: int) -> BulkJob | None:
    """Write the job's counts from its rows, and finish it when no row is open (under the job's row lock)."""
    job = BulkJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None:
        return None
    counts = BulkRow.objects.filter(job_id=job_id).aggregate(
        created=Count(
            "pk",
            filter=Q(status__in=[BulkRow.Status.CREATED, BulkRow.Status.RENDERED])
            | Q(status=BulkRow.Status.FAILED, video__isnull=False),
        ),
        rendered=Count("pk", filter=Q(status=BulkRow.Status.RENDERED)),
        failed=Count("pk", filter=Q(status=BulkRow.Status.FAILED)),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
    )
    job.created_count, job.rendered_count, job.failed_count = counts["created"], counts["rendered"], counts["failed"]
    fields = ["created_count", "rendered_count", "failed_count", "heartbeat_at"]
    job.heartbeat_at = timezone.now()
    finished = job.status == BulkJob.Status.RUNNING and not counts["open"]
    if finished:
        job.status, job.finished_at = BulkJob.Status.DONE, timezone.now()
        fields += ["status", "finished_at"]
    job.save(update_fields=fields)
    if finished:
        _announce_done(job)
    return job


def _announce_done(job: BulkJob) -> None:
    owner = job.owner
    page = reverse("videos:bulk_detail", args=[job.pk])
    params = {"job": job.label, "rendered": job.rendered_count, "failed": job.failed_count}
    notification_send(recipient=owner, kind=NotificationKind.BULK_DONE, params=params, target_url=page, email=False)
    if owner.is_active and owner.email:
        site = settings.SITE_URL.rstrip("/")
        email_queue(
            to=owner.email,
            template="videos/email/bulk_done",
            context={
                "user": owner,
                "job": job,
                "url": site + page,
                "results_url": site + reverse("videos:bulk_results", args=[job.pk]),
            },
            language=owner.language,
        )


# --- Cancel, retry, delete, export --------------------------------------------------------------------


@transaction.atomic
def bulk_job_cancel(*, job: BulkJob) -> BulkJob:
    """Stop a running job: rows not yet made are cancelled; videos already made finish rendering.

    `job` comes from `videos.permissions.bulk_job_get_for_user`, or from the ops console.
    """
    cancelled = BulkJob.objects.filter(pk=job.pk, status=BulkJob.Status.RUNNING).update(
        status=BulkJob.Status.CANCELLED, finished_at=timezone.now()
    )
    if not cancelled:
        raise DomainError(_("Only a job that is making videos can be cancelled."), code="not_cancellable")
    job.rows.filter(status=BulkRow.Status.PENDING).update(status=BulkRow.Status.CANCELLED)
    _recount(job_id=job.pk)
    job.refresh_from_db()
    return job


@transaction.atomic
def bulk_job_retry_failed(*, job: BulkJob) -> BulkJob:
    """Try the failed rows of a started job again: a failed render renders again, a row whose video
    could not be made is made again (checked against the plan's monthly limit first)."""
    job = BulkJob.objects.select_for_update(of=("self",)).select_related("owner", "team").get(pk=job.pk)
    if job.status == BulkJob.Status.VALIDATED:
        raise DomainError(_("Start the job first."), code="not_started")
    failed = list(job.rows.filter(status=BulkRow.Status.FAILED).select_related("video"))
    if not failed:
        raise DomainError(_("No row has failed."), code="nothing_to_retry")
    remake = [row for row in failed if row.video is None]
    for account, count in _lock_accounts(user=job.owner, job=job, rows=[r.data["clean"] for r in remake]).items():
        _check_month(account=account, count=count)
    for row in failed:
        if row.video is None:
            row.status = BulkRow.Status.PENDING
        else:
            video_rerender(video=row.video, actor=job.owner, enqueue_render=False)
            row.status, row.attempts = BulkRow.Status.CREATED, 1
            _enqueue_render(row.pk)
        row.error_message = ""
        row.save(update_fields=["status", "attempts", "error_message", "updated_at"])
    job.status, job.finished_at, job.heartbeat_at = BulkJob.Status.RUNNING, None, timezone.now()
    job.save(update_fields=["status", "finished_at", "heartbeat_at"])
    if remake:
        _enqueue_batches(job.pk, [row.number for row in remake])
    _recount(job_id=job.pk)
    job.refresh_from_db()
    return job


@transaction.atomic
def bulk_job_delete(*, job: BulkJob) -> None:
    """Delete a job and its rows (the videos it made stay), and its uploaded media once that commits."""
    names = [media["name"] for media in (job.options or {}).get("media", {}).values()]
    job.delete()
    transaction.on_commit(lambda: delete_from_storage(names))


def bulk_jobs_delete_for(*, user: User | None = None, team: Team | None = None) -> None:
    """Delete the bulk jobs of a person or a team being deleted (teams' signals)."""
    jobs = BulkJob.objects.filter(owner=user) if user is not None else BulkJob.objects.filter(team=team)
    for job in jobs:
        bulk_job_delete(job=job)


def bulk_job_export(*, job: BulkJob, user: User) -> ExportJob:
    """Export the job's rendered videos as one ZIP (the export service; its plan's batch size applies)."""
    from videos.services.exports import export_start

    ids = list(
        job.rows.filter(status=BulkRow.Status.RENDERED, video__isnull=False)
        .order_by("number")
        .values_list("video_id", flat=True)
    )
    return export_start(user=user, video_ids=ids)


def bulk_jobs_sweep_stalled(*, now: Any = None) -> dict[str, int]:
    """Queue again the pending rows of running jobs no batch touched for VIDEO_BULK_STALE_AFTER_SECONDS
    (a killed worker's batch); fail made rows whose video was deleted before it rendered."""
    now = now or timezone.now()
    stale_before = now - timezone.timedelta(seconds=settings.VIDEO_BULK_STALE_AFTER_SECONDS)
    counts = {"requeued": 0, "orphaned": 0}
    for job_id in BulkJob.objects.filter(status=BulkJob.Status.RUNNING, heartbeat_at__lt=stale_before).values_list(
        "pk", flat=True
    )[:100]:
        with transaction.atomic():
            orphaned = BulkRow.objects.filter(job_id=job_id, status=BulkRow.Status.CREATED, video__isnull=True).update(
                status=BulkRow.Status.FAILED, error_message=_("The video was deleted before it was rendered.")
            )
            counts["orphaned"] += orphaned
            pending = list(
                BulkRow.objects.filter(job_id=job_id, status=BulkRow.Status.PENDING).values_list("number", flat=True)
            )
            if pending:
                _enqueue_batches(job_id, pending)
                counts["requeued"] += len(pending)
            _recount(job_id=job_id)
    return counts


# --- Reading ----------------------------------------------------------------------------------------


def bulk_row_errors(row: BulkRow) -> list[tuple[str, str]]:
    """(column, sentence) of each error of a row, in the active language."""
    return [(error.get("column", ""), bulk_sheets.error_text(error)) for error in row.errors or []]


def bulk_results_csv(*, job: BulkJob) -> Iterator[list[str]]:
    """The results sheet: one line per row, with its video's page or why it has none."""
    site = settings.SITE_URL.rstrip("/")
    yield ["row", "status", "title", "video_id", "video_url", "error"]
    rows = job.rows.order_by("number").only("number", "status", "data", "errors", "video_id", "error_message")
    for row in rows.iterator(chunk_size=500):
        url = site + reverse("videos:detail", args=[row.video_id]) if row.video_id else ""
        error = row.error_message or "; ".join(f"{column}: {text}" for column, text in bulk_row_errors(row))
        yield [
            str(row.number),
            str(BulkRow.Status(row.status).label),
            row.title,
            str(row.video_id or ""),
            url,
            error,
        ]


__all__ = [
    "bulk_batch_process",
    "bulk_context",
    "bulk_job_cancel",
    "bulk_job_delete",
    "bulk_job_export",
    "bulk_job_prepare",
    "bulk_job_retry_failed",
    "bulk_job_start",
    "bulk_jobs_delete_for",
    "bulk_jobs_sweep_stalled",
    "bulk_results_csv",
    "bulk_row_errors",
    "bulk_row_render",
    "bulk_row_settle",
]
