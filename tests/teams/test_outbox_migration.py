"""The migration that brought encryption to the outbox leaves no readable body behind: mail still
waiting is encrypted (and still sent), mail already sent keeps no content."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from teams.models import OutboundEmail

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("teams", "0005_comments")]
AFTER = [("teams", "0006_outbox_encrypted_bodies")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_queued_bodies_are_encrypted_and_sent_ones_erased():
    old_apps = migrate(BEFORE)
    try:
        OldOutboundEmail = old_apps.get_model("teams", "OutboundEmail")
        common = {"to": ["a@example.com"], "from_email": "x@example.com", "subject": "Reset"}
        queued = OldOutboundEmail.objects.create(
            **common, body="reset: https://x.local/key/SECRET-QUEUED/", html_body="<a>SECRET-HTML</a>", status="queued"
        )
        sent = OldOutboundEmail.objects.create(**common, body="https://x.local/key/SECRET-SENT/", status="sent")
    finally:
        migrate(AFTER)
        # Back to the latest state: going back to BEFORE also unapplied other apps' later migrations
        # that depend on teams (their tables would be missing for every test after this one).
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM teams_outboundemail")
        table = repr(cursor.fetchall())
    assert "SECRET" not in table
    assert OutboundEmail.objects.get(pk=sent.pk).sealed_content == ""
    content = OutboundEmail.objects.get(pk=queued.pk).unseal()
    assert content == {"text": "reset: https://x.local/key/SECRET-QUEUED/", "html": "<a>SECRET-HTML</a>", "headers": {}}
