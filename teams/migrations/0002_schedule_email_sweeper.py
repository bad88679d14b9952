"""Schedule the sweeper that re-sends e-mails lost on their way to the broker.

The schedule lives in django-celery-beat's tables so staff can change it in the admin.
"""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule


def create_schedule(apps, schema_editor):
    periodic_task_schedule(
        apps, name="Re-send e-mails stuck in the queue", task="teams.emails_requeue_stale", every_minutes=5
    )


def remove_schedule(apps, schema_editor):
    periodic_task_unschedule(apps, task="teams.emails_requeue_stale")


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
