"""Seed DESIGN.md's three experiments (as drafts: staff start them in the ops console) and the hourly
check that tells staff when one reaches a verdict. Only what is missing is created."""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule

EXPERIMENTS = [
    {
        "key": "signup_cta",
        "name": "Signup call to action",
        "hypothesis": "A call to action that speaks of creating, not of price, brings more signups.",
        "goal_event": "user.signed_up",
        "guardrail_events": [],
        "variants": [("sign_up_free", "Sign Up Free"), ("start_creating", "Start Creating"), ("try_for_free", "Try For Free")],
    },
    {
        "key": "onboarding_steps",
        "name": "Onboarding: 5 steps vs 3",
        "hypothesis": "A three-step tour gets more new people to make their first video.",
        "goal_event": "video.created",
        "guardrail_events": ["onboarding.completed"],
        "variants": [("five_steps", "Five steps"), ("three_steps", "Three steps")],
    },
    {
        "key": "pricing_annual",
        "name": "Pricing page: annual emphasis",
        "hypothesis": "Putting annual billing first, with its saving, brings more Pro subscriptions.",
        "goal_event": "user.subscribed",
        "guardrail_events": ["payment.failed"],
        "variants": [("standard", "Standard"), ("annual_emphasis", "Annual emphasis")],
    },
]


def seed(apps, schema_editor):
    Experiment = apps.get_model("growth", "Experiment")
    ExperimentVariant = apps.get_model("growth", "ExperimentVariant")
    for spec in EXPERIMENTS:
        fields = {k: v for k, v in spec.items() if k not in ("key", "variants")}
        experiment, created = Experiment.objects.get_or_create(key=spec["key"], defaults=fields)
        if created:
            for position, (key, name) in enumerate(spec["variants"]):
                ExperimentVariant.objects.create(experiment=experiment, key=key, name=name, weight=1.0, position=position)
    periodic_task_schedule(
        apps, name="growth: experiment verdicts", task="growth.experiment_verdicts_notify", every_minutes=60
    )


def unseed(apps, schema_editor):
    periodic_task_unschedule(apps, task="growth.experiment_verdicts_notify")


class Migration(migrations.Migration):
    dependencies = [
        ("growth", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
