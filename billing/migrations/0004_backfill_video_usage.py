"""Count this month's videos into the new usage counter, so monthly limits do not reset on deploy.

Until now the monthly video limit counted this month's `video.created` analytics events (by the
payload's team, or owner for personal videos); from now on it reads `billing.UsageCounter`.
Earlier months are not needed: limits only ever read the current month.
"""

from collections import Counter
from datetime import UTC, datetime

from django.db import migrations


def backfill(apps, schema_editor):
    Event = apps.get_model("insights", "Event")
    UsageCounter = apps.get_model("billing", "UsageCounter")
    User = apps.get_model("teams", "User")
    Team = apps.get_model("teams", "Team")
    month = datetime.now(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    created = Counter()
    payloads = Event.objects.filter(name="video.created", occurred_at__gte=month).values_list("payload", flat=True)
    for payload in payloads.iterator():
        team_id, owner_id = payload.get("team_id"), payload.get("owner_id")
        if team_id is not None:
            created["team", team_id] += 1
        elif owner_id is not None:
            created["user", owner_id] += 1
    teams = set(Team.objects.filter(pk__in=[pk for kind, pk in created if kind == "team"]).values_list("pk", flat=True))
    users = set(User.objects.filter(pk__in=[pk for kind, pk in created if kind == "user"]).values_list("pk", flat=True))
    for (kind, pk), count in created.items():
        if pk not in (teams if kind == "team" else users):
            continue  # the account was deleted since
        account = {"team_id": pk, "user_id": None} if kind == "team" else {"user_id": pk, "team_id": None}
        counter, _ = UsageCounter.objects.get_or_create(
            **account, kind="videos_created", period_start=month.date(), defaults={"count": count}
        )
        if counter.count < count:
            counter.count = count
            counter.save(update_fields=["count"])


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0003_usage_counter"),
        ("insights", "0002_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
