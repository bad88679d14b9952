"""Rows per bulk job (videos bulk generation): Free 10, Pro 1,000; other plans stay unlimited until staff set them."""

from django.db import migrations, models

ROWS = {"free": 10, "pro": 1000}


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    for code, rows in ROWS.items():
        Plan.objects.filter(code=code).update(bulk_rows_per_job=rows)


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0008_publications"),
    ]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="bulk_rows_per_job",
            field=models.PositiveIntegerField(blank=True, null=True, verbose_name="rows per bulk job"),
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
