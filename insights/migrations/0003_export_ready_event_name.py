"""Exports finished before the event became public were recorded as "export.completed"; the public
name (DESIGN.md §3, webhooks) is "export.ready": one name for one fact, old rows included."""

from django.db import migrations


def forwards(apps, schema_editor):
    apps.get_model("insights", "Event").objects.filter(name="export.completed").update(name="export.ready")


def backwards(apps, schema_editor):
    apps.get_model("insights", "Event").objects.filter(name="export.ready").update(name="export.completed")


class Migration(migrations.Migration):
    dependencies = [("insights", "0002_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
