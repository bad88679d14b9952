"""Thin tasks: load by id, call a service. Both are idempotent (see the services)."""

from config.celery import app
from videos.services import template_import_run, version_render


@app.task(name="videos.render_version")
def video_render(version_id: int) -> bool:
    return version_render(version_id=version_id)


@app.task(name="videos.import_templates")
def template_import(import_id: int) -> int:
    return template_import_run(import_id=import_id)
