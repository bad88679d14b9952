"""Fill the new style translations: every template's English style from its current one, and the
seven starter templates' style in every language (unless staff changed a starter's style since)."""

from django.db import migrations
from django.db.models import F

STYLES = {
    "instagram-reel-product-showcase": {
        "en": "modern, dynamic", "es": "moderno, dinámico", "fr": "moderne, dynamique", "de": "modern, dynamisch",
        "pt": "moderno, dinâmico", "ja": "モダン、ダイナミック", "ko": "모던, 역동적", "zh_hans": "现代、动感",
        "hi": "आधुनिक, गतिशील",
    },
    "tiktok-tutorial-quick-tips": {
        "en": "educational", "es": "educativo", "fr": "éducatif", "de": "lehrreich", "pt": "educativo",
        "ja": "教育向け", "ko": "교육용", "zh_hans": "教育类", "hi": "शैक्षिक",
    },
    "youtube-short-quote-animation": {
        "en": "minimal, elegant", "es": "minimalista, elegante", "fr": "minimaliste, élégant",
        "de": "minimalistisch, elegant", "pt": "minimalista, elegante", "ja": "ミニマル、エレガント",
        "ko": "미니멀, 우아함", "zh_hans": "极简、优雅", "hi": "न्यूनतम, सुरुचिपूर्ण",
    },
    "educational-explainer": {
        "en": "diagrams, animations", "es": "diagramas, animaciones", "fr": "diagrammes, animations",
        "de": "Diagramme, Animationen", "pt": "diagramas, animações", "ja": "図解、アニメーション",
        "ko": "다이어그램, 애니메이션", "zh_hans": "图表、动画", "hi": "आरेख, एनिमेशन",
    },
    "animated-statistics": {
        "en": "data visualisation", "es": "visualización de datos", "fr": "visualisation de données",
        "de": "Datenvisualisierung", "pt": "visualização de dados", "ja": "データ可視化", "ko": "데이터 시각화",
        "zh_hans": "数据可视化", "hi": "डेटा विज़ुअलाइज़ेशन",
    },
    "product-demo-in-60-seconds": {
        "en": "professional", "es": "profesional", "fr": "professionnel", "de": "professionell",
        "pt": "profissional", "ja": "プロフェッショナル", "ko": "전문적", "zh_hans": "专业", "hi": "पेशेवर",
    },
    "brand-story": {
        "en": "cinematic", "es": "cinematográfico", "fr": "cinématographique", "de": "cineastisch",
        "pt": "cinematográfico", "ja": "シネマティック", "ko": "영화적", "zh_hans": "电影感", "hi": "सिनेमाई",
    },
}  # fmt: skip


def translate_styles(apps, schema_editor):
    Template = apps.get_model("videos", "Template")
    # modeltranslation reads the default language's column, not the original one: copy it over first.
    Template.objects.filter(style_en__isnull=True).update(style_en=F("style"))
    for slug, styles in STYLES.items():
        Template.objects.filter(slug=slug, style=styles["en"]).update(
            **{f"style_{lang}": text for lang, text in styles.items()}
        )


class Migration(migrations.Migration):
    dependencies = [("videos", "0005_template_style_translations")]

    operations = [migrations.RunPython(translate_styles, migrations.RunPython.noop)]
