"""Schedule the bulk jobs' sweeper: pending rows of a job whose batch was lost with its worker are
queued again (see config/beat.py)."""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule


def create_schedules(apps, schema_editor):
    periodic_task_schedule(
        apps, name="videos: sweep stalled bulk jobs", task="videos.sweep_stalled_bulk_jobs", every_minutes=5
    )


def remove_schedules(apps, schema_editor):
    periodic_task_unschedule(apps, task="videos.sweep_stalled_bulk_jobs")


class Migration(migrations.Migration):
    dependencies = [
        ("videos", "0015_bulk_jobs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
