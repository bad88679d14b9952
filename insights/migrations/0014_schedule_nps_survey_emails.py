"""Schedule the NPS survey e-mail: hourly, to people due for a week whom the in-app prompt did not reach.

The schedule lives in django-celery-beat's tables so staff can change it in the admin.
"""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule


def create_schedule(apps, schema_editor):
    periodic_task_schedule(
        apps, name="E-mail the NPS survey to people due", task="insights.nps_survey_emails_send", every_minutes=60
    )


def remove_schedule(apps, schema_editor):
    periodic_task_unschedule(apps, task="insights.nps_survey_emails_send")


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0013_nps_and_support"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
