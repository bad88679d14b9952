"""Seed the four severities with their targets and the escalation path (steps without recipients:
staff add the people on call, the engineering lead, the CTO and the executive in the console)."""

from django.db import migrations

SEVERITIES = [
    # code, name, rank, respond within, resolve within (minutes), post-mortem required
    ("P0", "Critical", 0, 15, 4 * 60, True),
    ("P1", "High", 1, 60, 24 * 60, True),
    ("P2", "Medium", 2, 4 * 60, 3 * 24 * 60, False),
    ("P3", "Low", 3, 24 * 60, 7 * 24 * 60, False),
]
# order, level, minutes past the missed target
STEPS = [(1, "on_call", 0), (2, "engineering_lead", 30), (3, "cto", 120), (4, "executive", 480)]


def seed(apps, schema_editor):
    Severity = apps.get_model("insights", "Severity")
    EscalationStep = apps.get_model("insights", "EscalationStep")
    for code, name, rank, respond, resolve, postmortem in SEVERITIES:
        Severity.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "rank": rank,
                "response_minutes": respond,
                "resolution_minutes": resolve,
                "postmortem_required": postmortem,
            },
        )
    for order, level, delay in STEPS:
        EscalationStep.objects.get_or_create(order=order, defaults={"level": level, "delay_minutes": delay})


def unseed(apps, schema_editor):
    apps.get_model("insights", "EscalationStep").objects.all().delete()
    apps.get_model("insights", "Severity").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0015_incidents_and_status")]

    operations = [migrations.RunPython(seed, unseed)]
