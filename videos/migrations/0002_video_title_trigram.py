"""A trigram index for the title search (`title ILIKE '%…%'`), on PostgreSQL only.

The index is not part of the model state, so SQLite migrates without it and
`makemigrations --check` stays clean.
"""

from django.db import migrations


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS videos_video_title_trgm ON videos_video USING gin (title gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS videos_video_title_trgm")


class Migration(migrations.Migration):
    dependencies = [("videos", "0001_initial")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
