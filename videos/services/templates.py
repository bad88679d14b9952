"""Bulk import of templates by staff: CSV or JSON rows, validated one by one, created in batches."""

import csv
import io
import json
import logging
import re
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from config.errors import DomainError
from teams.models import User
from videos.models import Template, TemplateImport, normalise_tags
from videos.render.spec import SpecError, validate_scene_spec

logger = logging.getLogger(__name__)
BATCH_SIZE = 250
RUNNING_TIMEOUT = timedelta(hours=1)
MAX_ROWS = 20_000
SLUG_RE = re.compile(r"^[-a-z0-9_]+$")
IMPORT_CONTENT_TYPES = {".csv": "text/csv", ".json": "application/json"}
REQUIRED = ("slug", "title", "category", "duration_seconds", "aspect_ratio", "scene_spec")
TRANSLATED = tuple(
    f"{field}_{code.replace('-', '_')}"
    for field in ("title", "description", "style")
    for code, _name in settings.LANGUAGES
)


@transaction.atomic
def template_set_active(*, templates: QuerySet[Template], active: bool) -> int:
    """Show templates in the library or hide them; returns how many changed.

    One `UPDATE`, so `updated_at` (auto_now, which `QuerySet.update` skips) is set here; templates
    already in that state are left alone and not counted.
    """
    return templates.exclude(is_active=active).update(is_active=active, updated_at=timezone.now())


@transaction.atomic
def template_import_start(*, user: User, upload: UploadedFile) -> TemplateImport:
    """Store an uploaded CSV or JSON file and queue its import."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in IMPORT_CONTENT_TYPES:
        raise DomainError(_("Upload a .csv or .json file."), field="file")
    content = File(upload, name=upload.name)
    # S3 stores a file's content_type as the object's: the checked suffix's, not what the browser said.
    content.content_type = IMPORT_CONTENT_TYPES[suffix]
    name = default_storage.save(f"template-imports/{uuid.uuid4().hex}{suffix}", content)
    job = TemplateImport.objects.create(file=name, created_by=user)
    from videos.tasks import template_import

    transaction.on_commit(lambda: template_import.delay(job.pk))
    return job


def template_import_run(*, import_id: int) -> int:
    """Run a queued import (exactly once); return the number of templates created."""
    # modeltranslation writes `title` into the active language's column: import in the source language.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        return _template_import_run(import_id=import_id)


def _template_import_run(*, import_id: int) -> int:
    now = timezone.now()
    # A RUNNING job whose worker died long ago may be claimed again (its created rows then count as taken).
    claimed = (
        TemplateImport.objects.filter(pk=import_id)
        .filter(
            Q(status=TemplateImport.Status.PENDING)
            | Q(status=TemplateImport.Status.RUNNING, started_at__lt=now - RUNNING_TIMEOUT)
            | Q(status=TemplateImport.Status.RUNNING, started_at__isnull=True, created_at__lt=now - RUNNING_TIMEOUT)
        )
        .update(status=TemplateImport.Status.RUNNING, started_at=now)
    )
    if not claimed:
        return 0
    job = TemplateImport.objects.get(pk=import_id)
    try:
        return _template_import_rows(job=job)
    except (OperationalError, InterfaceError):
        # The database went away: hand the job back so the task's automatic retry can claim it.
        TemplateImport.objects.filter(pk=import_id).update(status=TemplateImport.Status.PENDING, started_at=None)
        raise
    except Exception as exc:
        # Whatever went wrong, the job must not stay "running": fail it with a readable message.
        logger.exception("Template import %s failed", import_id)
        if isinstance(exc, DomainError):
            message = str(exc.message)
        else:
            message = _("The import stopped because of an unexpected error; batches already created are kept.")
            # Database and library messages may name files; users need the reason, not our paths.
            detail = re.sub(r"/\S+", "…", str(exc))[:300]
            message = f"{message} ({detail})"
        TemplateImport.objects.filter(pk=import_id).update(
            status=TemplateImport.Status.FAILED, message=message, finished_at=timezone.now()
        )
        return 0


def template_imports_sweep_stalled() -> int:
    """Send again imports whose message was lost or whose worker died; return how many were sent."""
    from videos.tasks import template_import

    cutoff = timezone.now() - RUNNING_TIMEOUT
    stalled = list(
        TemplateImport.objects.filter(
            Q(status=TemplateImport.Status.PENDING, created_at__lt=cutoff)
            | Q(status=TemplateImport.Status.RUNNING, started_at__lt=cutoff)
        ).values_list("pk", flat=True)[:100]
    )
    for import_id in stalled:
        template_import.delay(import_id)
    return len(stalled)


def _template_import_rows(*, job: TemplateImport) -> int:
    with default_storage.open(job.file.name, "rb") as handle:
        rows = parse_rows(handle.read(), suffix=Path(job.file.name).suffix)
    job.total_rows = len(rows)
    job.save(update_fields=["total_rows"])
    existing = set(
        Template.objects.filter(slug__in=[str(row.get("slug") or "").strip() for row in rows]).values_list(
            "slug", flat=True
        )
    )
    errors: list[dict[str, Any]] = []
    created = 0
    for start in range(0, len(rows), BATCH_SIZE):
        batch: list[Template] = []
        for number, row in enumerate(rows[start : start + BATCH_SIZE], start=start + 1):
            template, row_errors = build_template(row, taken=existing)
            if row_errors:
                errors.append({"row": number, "slug": str(row.get("slug", ""))[:120], "errors": row_errors})
            else:
                existing.add(template.slug)
                batch.append(template)
        with transaction.atomic():
            Template.objects.bulk_create(batch)
            created += len(batch)
            TemplateImport.objects.filter(pk=job.pk).update(
                processed_rows=min(len(rows), start + BATCH_SIZE), created_count=created, errors=errors
            )
    TemplateImport.objects.filter(pk=job.pk).update(
        status=TemplateImport.Status.DONE,
        finished_at=timezone.now(),
        message=_("%(created)d templates created, %(failed)d rows with errors.")
        % {"created": created, "failed": len(errors)},
    )
    return created


def parse_rows(data: bytes, *, suffix: str) -> list[dict[str, Any]]:
    """The rows of a CSV (header line) or JSON (a list of objects) file; DomainError if unreadable."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(_("The file must be UTF-8 text.")) from None
    if suffix == ".json":
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DomainError(_("The file is not valid JSON (line %(line)d).") % {"line": exc.lineno}) from None
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise DomainError(_("The JSON file must contain a list of objects."))
    else:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or "slug" not in reader.fieldnames:
            raise DomainError(_("The CSV file needs a header line with at least the column slug."))
        rows = [dict(row) for row in reader]
    if len(rows) > MAX_ROWS:
        raise DomainError(_("At most %(max)d rows can be imported at once.") % {"max": MAX_ROWS})
    return rows


def _integer(row: dict, key: str, errors: list[str], default: int | None = None) -> int | None:
    raw = row.get(key)
    if raw in (None, ""):
        if default is None:
            errors.append(_("%(field)s is required.") % {"field": key})
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        errors.append(_("%(field)s must be a whole number.") % {"field": key})
        return None
    if value <= 0:
        errors.append(_("%(field)s must be positive.") % {"field": key})
    return value


def build_template(row: dict[str, Any], *, taken: set[str]) -> tuple[Template, list[str]]:
    """An unsaved Template from one import row, and the row's errors (empty if it is valid)."""
    errors: list[str] = []
    for key in REQUIRED:
        if row.get(key) in (None, ""):
            errors.append(_("%(field)s is required.") % {"field": key})
    slug = str(row.get("slug") or "").strip()
    if slug and not SLUG_RE.match(slug):
        errors.append(_("slug may contain only lower-case letters, digits, hyphens and underscores."))
    elif slug in taken:
        errors.append(_("A template with the slug %(slug)s already exists.") % {"slug": slug})
    if len(str(row.get("title") or "")) > 200:
        errors.append(_("title must be at most 200 characters."))
    category = str(row.get("category") or "")
    if category and category not in Template.Category.values:
        errors.append(_("category must be one of %(values)s.") % {"values": ", ".join(Template.Category.values)})
    aspect_ratio = str(row.get("aspect_ratio") or "")
    if aspect_ratio and aspect_ratio not in Template.AspectRatio.values:
        errors.append(_("aspect_ratio must be one of %(values)s.") % {"values": ", ".join(Template.AspectRatio.values)})
    tier = str(row.get("tier") or Template.Tier.FREE)
    if tier not in Template.Tier.values:
        errors.append(_("tier must be free or pro."))
    duration = _integer(row, "duration_seconds", errors)
    low = _integer(row, "min_duration_seconds", errors, default=max(1, (duration or 2) // 2))
    high = _integer(row, "max_duration_seconds", errors, default=(duration or 1) * 2)
    if duration and low and high and not low <= duration <= high:
        errors.append(_("duration_seconds must lie between min_duration_seconds and max_duration_seconds."))
    spec = row.get("scene_spec")
    if isinstance(spec, str) and spec:
        try:
            spec = json.loads(spec)
        except json.JSONDecodeError:
            errors.append(_("scene_spec is not valid JSON."))
            spec = None
    if spec not in (None, ""):
        try:
            validate_scene_spec(spec)
        except SpecError as exc:
            errors.extend(exc.messages)
    template = Template(
        slug=slug,
        title=str(row.get("title") or ""),
        description=str(row.get("description") or ""),
        category=category,
        tags=normalise_tags(row.get("tags") or ""),
        duration_seconds=duration or 0,
        min_duration_seconds=low or 0,
        max_duration_seconds=high or 0,
        aspect_ratio=aspect_ratio,
        style=str(row.get("style") or "")[:100],
        tier=tier,
        scene_spec=spec,
    )
    for key in TRANSLATED:
        if row.get(key):
            setattr(template, key, str(row[key])[:100] if key.startswith("style_") else str(row[key]))
    if not template.title_en:
        template.title_en = template.title
    if not template.description_en:
        template.description_en = template.description
    if not template.style_en:
        template.style_en = template.style
    return template, errors
