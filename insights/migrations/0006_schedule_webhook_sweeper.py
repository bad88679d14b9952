"""Schedule the webhook outbox sweeper: due retries, and deliveries lost on the way to the broker.

The schedule lives in django-celery-beat's tables so staff can change it in the admin.
"""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule


def create_schedule(apps, schema_editor):
    periodic_task_schedule(
        apps,
        name="Send due webhook deliveries",
        task="insights.webhook_deliveries_requeue_due",
        every_minutes=1,
    )


def remove_schedule(apps, schema_editor):
    periodic_task_unschedule(apps, task="insights.webhook_deliveries_requeue_due")


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0005_webhooks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
