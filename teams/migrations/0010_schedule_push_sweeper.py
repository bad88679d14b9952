"""Schedule the sweeper that sends pushes lost on their way to the broker and fails expired ones."""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule


def create_schedule(apps, schema_editor):
    periodic_task_schedule(
        apps, name="Send pushes lost on the way to the workers", task="teams.push_deliveries_requeue_stale", every_minutes=5
    )


def remove_schedule(apps, schema_editor):
    periodic_task_unschedule(apps, task="teams.push_deliveries_requeue_stale")


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0009_push_notifications"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
