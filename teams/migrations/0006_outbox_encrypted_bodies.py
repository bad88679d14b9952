"""Outbox content is kept encrypted while queued and erased once sent (it holds live links).

Rows still waiting (queued or failed) get their texts and headers encrypted into
`sealed_content`; sent rows keep no content at all. Then the plain columns go.
"""

import json

from django.db import migrations, models

from teams import encryption

PURPOSE = "outbox"  # OutboundEmail.ENCRYPTION_PURPOSE at the time of this migration
UNSENT = ("queued", "failed")


def seal_unsent_bodies(apps, schema_editor):
    OutboundEmail = apps.get_model("teams", "OutboundEmail")
    for row in OutboundEmail.objects.filter(status__in=UNSENT).iterator():
        content = json.dumps({"text": row.body, "html": row.html_body, "headers": row.headers or {}})
        row.sealed_content = encryption.seal(content, purpose=PURPOSE)
        row.save(update_fields=["sealed_content"])


def unseal_unsent_bodies(apps, schema_editor):
    OutboundEmail = apps.get_model("teams", "OutboundEmail")
    for row in OutboundEmail.objects.exclude(sealed_content="").iterator():
        try:
            content = json.loads(encryption.unseal(row.sealed_content, purpose=PURPOSE))
        except encryption.InvalidToken:
            continue  # sealed under a key no longer configured: nothing readable to restore
        row.body, row.html_body, row.headers = content["text"], content["html"], content["headers"]
        row.save(update_fields=["body", "html_body", "headers"])


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0005_comments"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundemail",
            name="sealed_content",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(seal_unsent_bodies, unseal_unsent_bodies, elidable=True),
        migrations.RemoveField(model_name="outboundemail", name="body"),
        migrations.RemoveField(model_name="outboundemail", name="headers"),
        migrations.RemoveField(model_name="outboundemail", name="html_body"),
    ]
