"""Schedule the monitoring: health-check history and alert evaluation every minute, the
retrospective weekly. The schedules live in django-celery-beat's tables so staff can change them."""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule

SCHEDULES = [
    ("Record the health checks", "insights.health_history_record", 1),
    ("Evaluate the alert rules", "insights.alerts_evaluate", 1),
    ("E-mail the weekly retrospective", "insights.retrospective_send_weekly", 60),
]


def create_schedule(apps, schema_editor):
    for name, task, minutes in SCHEDULES:
        periodic_task_schedule(apps, name=name, task=task, every_minutes=minutes)


def remove_schedule(apps, schema_editor):
    for _name, task, _minutes in SCHEDULES:
        periodic_task_unschedule(apps, task=task)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0011_seed_alert_rules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
