"""Schedule the incident escalations (every minute) and the daily uptime roll-up (hourly: it redoes
the last two finished days, so a missed run is made up)."""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule


def create_schedule(apps, schema_editor):
    periodic_task_schedule(apps, name="Escalate incidents past their targets", task="insights.incidents_escalate", every_minutes=1)
    periodic_task_schedule(apps, name="Roll up the health-check history by day", task="insights.health_days_roll_up", every_minutes=60)


def remove_schedule(apps, schema_editor):
    periodic_task_unschedule(apps, task="insights.incidents_escalate")
    periodic_task_unschedule(apps, task="insights.health_days_roll_up")


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0016_seed_severities_and_escalation_path"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
