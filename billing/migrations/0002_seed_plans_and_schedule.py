"""Seed the Free and Pro plans, the referral coupon, and the beat schedule that renews subscriptions.

Staff edit plans (prices, limits) in the admin afterwards; this only creates what is missing.
"""

from django.db import migrations

FREE = {
    "name": "Free",
    "description": "Everything you need to start creating.",
    "rank": 0,
    "is_default": True,
    "monthly_price_cents": 0,
    "annual_price_cents": 0,
    "videos_per_month": 10,
    "versions_kept": 5,
    "upload_size_mb": 100,
    "branding": False,
    "pro_templates": False,
    "export_batch_size": 10,
    "team_seats": 3,
    "api_rate_per_hour": 1000,
}
PRO = {
    "name": "Pro",
    "description": "For creators who publish every week: your brand, every template, bigger batches.",
    "rank": 10,
    "is_default": False,
    "monthly_price_cents": 1200,
    "annual_price_cents": 12000,
    "videos_per_month": 200,
    "versions_kept": 50,
    "upload_size_mb": 2048,
    "branding": True,
    "pro_templates": True,
    "export_batch_size": 50,
    "team_seats": 10,
    "api_rate_per_hour": 10000,
}


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    Coupon = apps.get_model("billing", "Coupon")
    Plan.objects.get_or_create(code="free", defaults=FREE)
    Plan.objects.get_or_create(code="pro", defaults=PRO)
    # The referral programme's coupon: a referred user's 20 % off the first month.
    Coupon.objects.get_or_create(
        code="REFERRAL20", defaults={"name": "Referral: 20 % off the first month", "percent_off": 20, "duration": "once"}
    )
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_ten_minutes, _ = IntervalSchedule.objects.get_or_create(every=10, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Renew or end subscriptions whose period is over",
        defaults={"task": "billing.subscriptions_renew_due", "interval": every_ten_minutes},
    )


def unseed(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="billing.subscriptions_renew_due").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
