"""Schedule the publishing claim loop: every minute it claims due publications exactly once and
dispatches their platform tasks, due retries and silent attempts (see config/beat.py)."""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule


def create_schedule(apps, schema_editor):
    periodic_task_schedule(
        apps, name="videos: publish due publications", task="videos.publications_claim_due", every_minutes=1
    )


def remove_schedule(apps, schema_editor):
    periodic_task_unschedule(apps, task="videos.publications_claim_due")


class Migration(migrations.Migration):
    dependencies = [
        ("videos", "0013_publications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
