"""Seed the Free and Pro plans and the beat schedule that renews subscriptions.

Staff edit plans (prices, limits) in the admin afterwards; this only creates what is missing.
"""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule

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


# Names are product names in every language; descriptions are translated (modeltranslation fields).
DESCRIPTIONS = {
    "free": {
        "en": "Everything you need to start creating.",
        "es": "Todo lo que necesitas para empezar a crear.",
        "fr": "Tout ce qu'il faut pour commencer à créer.",
        "de": "Alles, was Sie zum Loslegen brauchen.",
        "pt": "Tudo o que você precisa para começar a criar.",
        "ja": "作品づくりを始めるのに必要なものがすべて揃っています。",
        "ko": "제작을 시작하는 데 필요한 모든 것.",
        "zh_hans": "开始创作所需的一切。",
        "hi": "बनाना शुरू करने के लिए जो कुछ चाहिए, सब कुछ।",
    },
    "pro": {
        "en": "For creators who publish every week: your brand, every template, bigger batches.",
        "es": "Para creadores que publican cada semana: tu marca, todas las plantillas, lotes más grandes.",
        "fr": "Pour les créateurs qui publient chaque semaine : votre marque, tous les modèles, des lots plus grands.",
        "de": "Für Creator, die jede Woche veröffentlichen: Ihre Marke, alle Vorlagen, größere Stapel.",
        "pt": "Para criadores que publicam toda semana: sua marca, todos os modelos, lotes maiores.",
        "ja": "毎週投稿するクリエイターに：自分のブランド、すべてのテンプレート、より大きな一括処理。",
        "ko": "매주 게시하는 크리에이터를 위해: 나만의 브랜드, 모든 템플릿, 더 큰 일괄 작업.",
        "zh_hans": "适合每周发布的创作者：你的品牌、全部模板、更大的批量。",
        "hi": "हर हफ़्ते प्रकाशित करने वाले क्रिएटर्स के लिए: आपका ब्रांड, हर टेम्पलेट, बड़े बैच।",
    },
}


def _translated(code, fields):
    fields = dict(fields)
    for language, text in DESCRIPTIONS[code].items():
        fields[f"name_{language}"] = fields["name"]
        fields[f"description_{language}"] = text
    return fields


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    Plan.objects.get_or_create(code="free", defaults=_translated("free", FREE))
    Plan.objects.get_or_create(code="pro", defaults=_translated("pro", PRO))
    # No coupon is seeded: one anyone can type is a discount for everyone (0005 retires REFERRAL20).
    periodic_task_schedule(
        apps,
        name="Renew or end subscriptions whose period is over",
        task="billing.subscriptions_renew_due",
        every_minutes=10,
    )


def unseed(apps, schema_editor):
    periodic_task_unschedule(apps, task="billing.subscriptions_renew_due")


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
