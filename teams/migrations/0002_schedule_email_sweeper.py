"""Schedule the sweeper that re-sends e-mails lost on their way to the broker.

The schedule lives in django-celery-beat's tables so staff can change it in the admin.
"""

from django.db import migrations


def create_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Re-send e-mails stuck in the queue",
        defaults={"task": "teams.emails_requeue_stale", "interval": every_five_minutes},
    )


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="teams.emails_requeue_stale").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
