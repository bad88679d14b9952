"""A trigram index for the similar-title suggestions (PostgreSQL only), and the hourly reward catch-up.

pg_trgm is also enabled by videos' 0002; it is enabled here as well so growth does not depend on
videos. The index is not part of the model state, so SQLite migrates without it.
"""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS growth_featurerequest_title_trgm"
        " ON growth_featurerequest USING gin (title gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS growth_featurerequest_title_trgm")


def create_schedule(apps, schema_editor):
    periodic_task_schedule(
        apps,
        name="Reward referrals whose payment signal was lost",
        task="growth.referral_rewards_catch_up",
        every_minutes=60,
    )


def remove_schedule(apps, schema_editor):
    periodic_task_unschedule(apps, task="growth.referral_rewards_catch_up")


class Migration(migrations.Migration):
    dependencies = [
        ("growth", "0003_referrals_features_waitlist"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(create_trigram_index, drop_trigram_index),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
