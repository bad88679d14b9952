"""Schedule the sweepers that pick up renders and template imports lost with their worker.

They used to be added by code each time beat started (which also overwrote staff's changes);
like every other schedule they now live in django-celery-beat's tables (see config/beat.py).
The names are the ones beat gave them, so an existing schedule is kept as it is.
"""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule


def create_schedules(apps, schema_editor):
    periodic_task_schedule(
        apps, name="videos: sweep stalled renders", task="videos.sweep_stalled_renders", every_minutes=5
    )
    periodic_task_schedule(
        apps, name="videos: sweep stalled imports", task="videos.sweep_stalled_imports", every_minutes=15
    )


def remove_schedules(apps, schema_editor):
    periodic_task_unschedule(apps, task="videos.sweep_stalled_renders")
    periodic_task_unschedule(apps, task="videos.sweep_stalled_imports")


class Migration(migrations.Migration):
    dependencies = [
        ("videos", "0006_translate_starter_template_styles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
