"""Thin tasks: load by id, call a service. All are idempotent (see the services)."""

from celery import shared_task

from videos.services import (
    bulk,
    template_import_run,
    template_imports_sweep_stalled,
    version_render,
    versions_sweep_stalled,
)
from videos.services.exports import export_build, exports_expire, exports_sweep_stalled


@shared_task(name="videos.render_version")
def video_render(version_id: int) -> bool:
    return version_render(version_id=version_id)


@shared_task(name="videos.import_templates")
def template_import(import_id: int) -> int:
    return template_import_run(import_id=import_id)


# The sweepers run on the schedules seeded by migration 0007 (see config/beat.py).
@shared_task(name="videos.sweep_stalled_renders")
def sweep_stalled_renders() -> dict[str, int]:
    return versions_sweep_stalled()


@shared_task(name="videos.sweep_stalled_imports")
def sweep_stalled_imports() -> int:
    return template_imports_sweep_stalled()


@shared_task(name="videos.build_export")
def export_build_task(job_id: int) -> bool:
    return export_build(job_id=job_id)


# Both run on the schedules seeded by migration 0010 (see config/beat.py).
@shared_task(name="videos.sweep_stalled_exports")
def sweep_stalled_exports() -> dict[str, int]:
    return exports_sweep_stalled()


@shared_task(name="videos.expire_exports")
def expire_exports() -> int:
    return exports_expire()


# The claim loop runs every minute on the schedule seeded by migration 0014 (see config/beat.py). It
# is the only scheduler of publishing: no task is ever sent with an ETA or countdown, so nothing
# waits in the broker past its visibility timeout.
@shared_task(name="videos.publications_claim_due")
def publications_claim_due_task() -> dict[str, int]:
    from videos.services.publishing import publications_claim_due

    return publications_claim_due()


# Not retried by Celery: a transient failure is recorded with its next attempt time, and the claim
# loop dispatches it again when due (see videos/services/publishing.py).
@shared_task(name="videos.publish_target", autoretry_for=(), max_retries=0)
def publish_target_task(target_id: int) -> str:
    from videos.services.publishing import target_publish

    return target_publish(target_id=target_id)


# Bulk jobs: both run on the bulk queue (CELERY_TASK_ROUTES), never beside single renders' queue.
@shared_task(name="videos.bulk_process_batch")
def bulk_process_batch(job_id: int, first: int, last: int) -> int:
    return bulk.bulk_batch_process(job_id=job_id, first=first, last=last)


@shared_task(name="videos.bulk_render_row")
def bulk_render_row(row_id: int) -> bool:
    return bulk.bulk_row_render(row_id=row_id)


# Runs on the schedule seeded by the bulk jobs' migration (see config/beat.py).
@shared_task(name="videos.sweep_stalled_bulk_jobs")
def sweep_stalled_bulk_jobs() -> dict[str, int]:
    return bulk.bulk_jobs_sweep_stalled()
