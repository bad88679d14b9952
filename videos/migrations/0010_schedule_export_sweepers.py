"""Schedule the export sweeper (lost and stalled builds, orphaned temporary folders) and the expiry
of ready exports, whose ZIPs are deleted once their 7-day link has run out (see config/beat.py)."""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule


def create_schedules(apps, schema_editor):
    periodic_task_schedule(
        apps, name="videos: sweep stalled exports", task="videos.sweep_stalled_exports", every_minutes=5
    )
    periodic_task_schedule(apps, name="videos: expire exports", task="videos.expire_exports", every_minutes=60)


def remove_schedules(apps, schema_editor):
    periodic_task_unschedule(apps, task="videos.sweep_stalled_exports")
    periodic_task_unschedule(apps, task="videos.expire_exports")


class Migration(migrations.Migration):
    dependencies = [
        ("videos", "0009_export_job"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
