"""The one way a periodic task is scheduled: a data migration writes it into django-celery-beat's
tables, where staff can change or pause it in the admin and beat (its database scheduler) reads it.

Call these from `RunPython` with the migration's `apps`, so they use the historical models.
"""

from typing import Any


def periodic_task_schedule(apps: Any, *, name: str, task: str, every_minutes: int) -> None:
    """Run `task` every `every_minutes`, unless a schedule called `name` exists (staff may have changed it)."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    interval, _created = IntervalSchedule.objects.get_or_create(every=every_minutes, period="minutes")
    PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "interval": interval})


def periodic_task_unschedule(apps: Any, *, task: str) -> None:
    """Remove every schedule of `task` (a migration's reverse)."""
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task=task).delete()
