"""Schedule the page-view flush (every minute), the platform statistics fetch and the segment
recompute (daily). The schedules live in django-celery-beat's tables so staff can change them.
"""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule

SCHEDULES = [
    ("Write buffered page views", "insights.page_views_flush", 1),
    ("Fetch platform statistics of published videos", "insights.video_stats_fetch", 24 * 60),
    ("Recompute customer segments and tiers", "insights.customer_profiles_recompute", 24 * 60),
]


def create_schedules(apps, schema_editor):
    for name, task, minutes in SCHEDULES:
        periodic_task_schedule(apps, name=name, task=task, every_minutes=minutes)


def remove_schedules(apps, schema_editor):
    for _name, task, _minutes in SCHEDULES:
        periodic_task_unschedule(apps, task=task)


class Migration(migrations.Migration):
    dependencies = [
        ("insights", "0018_engagement_and_segments"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
