"""Schedule the daily snapshots: hourly, it writes finished days without snapshots (normally just
yesterday, soon after midnight UTC) and back-fills days missed while beat was down.

The schedule lives in django-celery-beat's tables so staff can change it in the admin.
"""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule


def create_schedule(apps, schema_editor):
    periodic_task_schedule(
        apps, name="Write the daily metric snapshots", task="insights.daily_snapshots_build", every_minutes=60
    )


def remove_schedule(apps, schema_editor):
    periodic_task_unschedule(apps, task="insights.daily_snapshots_build")


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0008_daily_snapshots_and_acquisition_spend"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
