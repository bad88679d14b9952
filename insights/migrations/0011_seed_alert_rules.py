"""Seed the eight alert rules of issue #17 (staff change severity, threshold and window in the admin)."""

from django.db import migrations

# key: (severity, threshold, window minutes); meanings in insights/alerts.py DEFAULTS.
RULES = {
    "payment_failures": ("P0", 5, 60),
    "signup_spike": ("info", 2, 60),
    "dau_decline": ("P1", 20, 7 * 24 * 60),
    "latency_p95": ("P1", 500, 15),
    "error_rate": ("P0", 5, 5),
    "db_connections": ("P1", 90, 1),
    "conversion_drop": ("P2", 70, 7 * 24 * 60),
    "daily_cost": ("P2", 1.5, 24 * 60),
}


def seed(apps, schema_editor):
    AlertRule = apps.get_model("insights", "AlertRule")
    for key, (severity, threshold, window) in RULES.items():
        AlertRule.objects.get_or_create(
            key=key, defaults={"severity": severity, "threshold": threshold, "window_minutes": window}
        )


def unseed(apps, schema_editor):
    apps.get_model("insights", "AlertRule").objects.filter(key__in=RULES).delete()


class Migration(migrations.Migration):
    dependencies = [("insights", "0010_monitoring")]

    operations = [migrations.RunPython(seed, unseed)]
