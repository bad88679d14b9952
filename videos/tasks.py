"""Thin tasks: load by id, call a service. Both are idempotent (see the services)."""

from config.celery import app
from videos.services import template_import_run, template_imports_sweep_stalled, version_render, versions_sweep_stalled


@app.task(name="videos.render_version")
def video_render(version_id: int) -> bool:
    return version_render(version_id=version_id)


@app.task(name="videos.import_templates")
def template_import(import_id: int) -> int:
    return template_import_run(import_id=import_id)


@app.task(name="videos.sweep_stalled_renders")
def sweep_stalled_renders() -> dict[str, int]:
    return versions_sweep_stalled()


@app.task(name="videos.sweep_stalled_imports")
def sweep_stalled_imports() -> int:
    return template_imports_sweep_stalled()


@app.on_after_finalize.connect
def _schedule(sender: object, **kwargs: object) -> None:
    # Every five minutes; celery-beat's database scheduler picks this entry up.
    sender.add_periodic_task(300.0, sweep_stalled_renders.s(), name="videos: sweep stalled renders")  # type: ignore[attr-defined]
    sender.add_periodic_task(900.0, sweep_stalled_imports.s(), name="videos: sweep stalled imports")  # type: ignore[attr-defined]
