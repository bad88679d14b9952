"""How fast staff can bulk-import templates: 1,000 CSV rows (a few invalid) through the real import.

Uses DATABASE_URL if set, else a throw-away SQLite database; the imported rows are deleted afterwards.
Run from the project root:  .venv/bin/python bench/template_import.py [--rows 1000]
"""

import argparse
import csv
import io
import json
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_scratch = tempfile.mkdtemp(prefix="bench-import-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_scratch}/bench.sqlite3")
os.environ.setdefault("DJANGO_MEDIA_ROOT", f"{_scratch}/media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402

from videos.models import Template, TemplateImport  # noqa: E402
from videos.services import template_import_run  # noqa: E402

SPEC = {
    "audio": {"kind": "tone", "frequency": 220},
    "scenes": [
        {"duration": 4, "background": "#1e1b4b", "text": "Hello", "transition": "cut"},
        {"duration": 6, "background": "#312e81", "text": "World", "transition": "fade"},
    ],
}


def build_csv(rows: int, prefix: str) -> bytes:
    buffer = io.StringIO()
    fields = [
        "slug",
        "title",
        "title_es",
        "description",
        "category",
        "tags",
        "duration_seconds",
        "aspect_ratio",
        "tier",
        "scene_spec",
    ]
    writer = csv.DictWriter(buffer, fieldnames=fields)
    writer.writeheader()
    for n in range(rows):
        writer.writerow(
            {
                "slug": f"{prefix}-{n}",
                "title": f"Bench template {n}",
                "title_es": f"Plantilla {n}",
                "description": "Imported by the benchmark",
                # Every 50th row is invalid, so the error report is exercised too.
                "category": "cooking" if n % 50 == 49 else "marketing",
                "tags": "bench, import",
                "duration_seconds": 10,
                "aspect_ratio": "9:16",
                "tier": "free",
                "scene_spec": json.dumps(SPEC),
            }
        )
    return buffer.getvalue().encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    name = default_storage.save(f"template-imports/{prefix}.csv", ContentFile(build_csv(args.rows, prefix)))
    job = TemplateImport.objects.create(file=name)
    started = time.perf_counter()
    created = template_import_run(import_id=job.pk)
    elapsed = time.perf_counter() - started
    job.refresh_from_db()
    print(
        f"{args.rows} rows: {created} created, {job.error_count} rows with errors, {elapsed:.2f} s "
        f"({args.rows / elapsed:,.0f} rows/s) on {django.db.connection.vendor}"
    )
    Template.objects.filter(slug__startswith=prefix).delete()
    job.delete()
    default_storage.delete(name)


if __name__ == "__main__":
    main()
