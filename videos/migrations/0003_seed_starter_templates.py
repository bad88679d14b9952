"""The seven starter templates of DESIGN.md, with real scene specs, in all nine languages."""

from django.db import migrations


def _scene(duration, background, text, *, transition="fade", position="center", font_size=0.07, color="#ffffff", slot=None):
    scene = {
        "duration": duration,
        "background": background,
        "text": text,
        "text_color": color,
        "font_size": font_size,
        "position": position,
        "transition": transition,
    }
    if slot:
        scene["slot"] = slot
    return scene


STARTERS = [
    {
        "slug": "instagram-reel-product-showcase",
        "category": "social",
        "tags": ",instagram,product,reel,",
        "duration_seconds": 30, "min_duration_seconds": 10, "max_duration_seconds": 60,
        "aspect_ratio": "9:16", "style": "modern, dynamic", "tier": "free",
        "spec": {
            "audio": {"kind": "tone", "frequency": 220},
            "slots": [{"key": "product", "kind": "any", "label": "Product photo or clip"}],
            "scenes": [
                _scene(5, "#6d28d9", "Meet the new Nova", transition="cut", font_size=0.09),
                _scene(8, "#111827", "Designed for every day", slot="product", position="bottom"),
                _scene(7, "#db2777", "Light. Fast. Yours.", transition="slideleft", font_size=0.09),
                _scene(6, "#0ea5e9", "Free shipping this week", transition="wipeleft"),
                _scene(4, "#111827", "Shop now - link in bio", transition="fade", color="#fde047"),
            ],
        },
        "title": {
            "en": "Instagram Reel – Product Showcase", "es": "Reel de Instagram – Presentación de producto",
            "fr": "Reel Instagram – Présentation de produit", "de": "Instagram-Reel – Produktpräsentation",
            "pt": "Reel do Instagram – Vitrine de produto", "ja": "Instagramリール – 商品紹介",
            "ko": "인스타그램 릴스 – 제품 쇼케이스", "zh_hans": "Instagram 短视频 – 产品展示",
            "hi": "इंस्टाग्राम रील – उत्पाद प्रदर्शन",
        },
        "description": {
            "en": "A fast vertical reel that puts one product centre stage, with a closing call to action.",
            "es": "Un reel vertical y rápido que pone un producto en el centro, con una llamada a la acción final.",
            "fr": "Un reel vertical et rythmé qui met un produit en vedette, avec un appel à l’action final.",
            "de": "Ein schnelles Hochformat-Reel, das ein Produkt in den Mittelpunkt stellt – mit Handlungsaufforderung am Ende.",
            "pt": "Um reel vertical e rápido que coloca um produto em destaque, com uma chamada para ação no final.",
            "ja": "ひとつの商品を主役にしたテンポの良い縦型リール。最後に行動を促すメッセージ付き。",
            "ko": "하나의 제품을 돋보이게 하는 빠른 세로형 릴스로, 마지막에 행동 유도 문구가 있습니다.",
            "zh_hans": "节奏明快的竖屏短视频，突出一款产品，结尾附带行动号召。",
            "hi": "एक तेज़ वर्टिकल रील जो एक उत्पाद को केंद्र में रखती है, अंत में कॉल टू एक्शन के साथ।",
        },
    },
    {
        "slug": "tiktok-tutorial-quick-tips",
        "category": "social",
        "tags": ",tiktok,tutorial,education,",
        "duration_seconds": 60, "min_duration_seconds": 15, "max_duration_seconds": 120,
        "aspect_ratio": "9:16", "style": "educational", "tier": "free",
        "spec": {
            "audio": {"kind": "tone", "frequency": 262},
            "slots": [{"key": "demo", "kind": "any", "label": "Demo image or clip"}],
            "scenes": [
                _scene(6, "#0f766e", "3 quick tips you need to know", transition="cut", font_size=0.08),
                _scene(14, "#134e4a", "Tip 1: Start with the goal", position="top", slot="demo"),
                _scene(14, "#115e59", "Tip 2: Keep it short", transition="slideup", position="top"),
                _scene(14, "#0f766e", "Tip 3: Practise every day", transition="slideup", position="top"),
                _scene(12, "#042f2e", "Follow for more tips", transition="fade", color="#5eead4"),
            ],
        },
        "title": {
            "en": "TikTok – Tutorial Quick Tips", "es": "TikTok – Consejos rápidos de tutorial",
            "fr": "TikTok – Astuces rapides en tutoriel", "de": "TikTok – Schnelle Tutorial-Tipps",
            "pt": "TikTok – Dicas rápidas de tutorial", "ja": "TikTok – チュートリアルのクイックヒント",
            "ko": "틱톡 – 튜토리얼 빠른 팁", "zh_hans": "TikTok – 教程速成小贴士",
            "hi": "टिकटॉक – ट्यूटोरियल त्वरित सुझाव",
        },
        "description": {
            "en": "Three numbered tips in a vertical tutorial, with room for a demo image or clip.",
            "es": "Tres consejos numerados en un tutorial vertical, con espacio para una imagen o un clip de demostración.",
            "fr": "Trois astuces numérotées dans un tutoriel vertical, avec une place pour une image ou un extrait de démonstration.",
            "de": "Drei nummerierte Tipps in einem Hochformat-Tutorial, mit Platz für ein Demo-Bild oder einen Clip.",
            "pt": "Três dicas numeradas em um tutorial vertical, com espaço para uma imagem ou clipe de demonstração.",
            "ja": "番号付きの3つのヒントを縦型チュートリアルで紹介。デモ画像やクリップも入れられます。",
            "ko": "세로형 튜토리얼에 번호가 매겨진 세 가지 팁을 담고, 데모 이미지나 클립을 넣을 수 있습니다.",
            "zh_hans": "竖屏教程中的三条编号小贴士，可放入演示图片或短片。",
            "hi": "एक वर्टिकल ट्यूटोरियल में तीन क्रमांकित सुझाव, डेमो छवि या क्लिप के लिए जगह के साथ।",
        },
    },
    {
        "slug": "youtube-short-quote-animation",
        "category": "social",
        "tags": ",youtube,short,quote,",
        "duration_seconds": 15, "min_duration_seconds": 5, "max_duration_seconds": 30,
        "aspect_ratio": "9:16", "style": "minimal, elegant", "tier": "free",
        "spec": {
            "audio": {"kind": "tone", "frequency": 196},
            "slots": [],
            "scenes": [
                _scene(6, "#1e1b4b", "The best way out is always through.", transition="cut", font_size=0.08),
                _scene(5, "#312e81", "- Robert Frost", transition="dissolve", color="#c7d2fe"),
                _scene(4, "#0f172a", "Subscribe for a quote a day", transition="fade", font_size=0.06),
            ],
        },
        "title": {
            "en": "YouTube Short – Quote Animation", "es": "YouTube Short – Animación de cita",
            "fr": "YouTube Short – Citation animée", "de": "YouTube Short – Zitat-Animation",
            "pt": "YouTube Short – Animação de citação", "ja": "YouTubeショート – 名言アニメーション",
            "ko": "유튜브 쇼츠 – 명언 애니메이션", "zh_hans": "YouTube Shorts – 名言动画",
            "hi": "यूट्यूब शॉर्ट – उद्धरण एनिमेशन",
        },
        "description": {
            "en": "A calm, minimal short: one quote, its author and a subscribe reminder.",
            "es": "Un short sereno y minimalista: una cita, su autor y un recordatorio para suscribirse.",
            "fr": "Un short sobre et minimaliste : une citation, son auteur et un rappel pour s’abonner.",
            "de": "Ein ruhiger, minimalistischer Short: ein Zitat, sein Urheber und ein Abo-Hinweis.",
            "pt": "Um short calmo e minimalista: uma citação, seu autor e um lembrete para se inscrever.",
            "ja": "落ち着いたミニマルなショート動画。名言、その作者、チャンネル登録の呼びかけ。",
            "ko": "차분하고 미니멀한 쇼츠: 명언 하나, 그 저자, 구독 안내.",
            "zh_hans": "简洁宁静的短视频：一句名言、作者以及订阅提醒。",
            "hi": "एक शांत, न्यूनतम शॉर्ट: एक उद्धरण, उसके लेखक और सब्सक्राइब करने का अनुस्मारक।",
        },
    },
    {
        "slug": "educational-explainer",
        "category": "education",
        "tags": ",education,explainer,tutorial,",
        "duration_seconds": 120, "min_duration_seconds": 30, "max_duration_seconds": 240,
        "aspect_ratio": "16:9", "style": "diagrams, animations", "tier": "free",
        "spec": {
            "audio": {"kind": "tone", "frequency": 174},
            "slots": [{"key": "diagram", "kind": "image", "label": "Diagram"}],
            "scenes": [
                _scene(15, "#1d4ed8", "How does it work?", transition="cut", font_size=0.06),
                _scene(25, "#1e3a8a", "Step 1: The problem", position="top", font_size=0.045, slot="diagram"),
                _scene(25, "#1e40af", "Step 2: The idea", transition="wipeleft", position="top", font_size=0.045),
                _scene(25, "#1e3a8a", "Step 3: The result", transition="wipeleft", position="top", font_size=0.045),
                _scene(20, "#172554", "Recap: problem, idea, result", transition="circleopen", font_size=0.05),
                _scene(10, "#0f172a", "Questions? Leave a comment", transition="fade", font_size=0.045, color="#93c5fd"),
            ],
        },
        "title": {
            "en": "Educational Explainer", "es": "Vídeo explicativo educativo",
            "fr": "Vidéo explicative pédagogique", "de": "Lehrreiches Erklärvideo",
            "pt": "Vídeo explicativo educacional", "ja": "教育用解説動画",
            "ko": "교육용 설명 영상", "zh_hans": "教育讲解视频",
            "hi": "शैक्षिक व्याख्यात्मक वीडियो",
        },
        "description": {
            "en": "Explain a topic in three steps with a diagram, then recap it.",
            "es": "Explica un tema en tres pasos con un diagrama y luego haz un resumen.",
            "fr": "Expliquez un sujet en trois étapes avec un schéma, puis récapitulez.",
            "de": "Erklären Sie ein Thema in drei Schritten mit einem Diagramm und fassen Sie es zusammen.",
            "pt": "Explique um tema em três etapas com um diagrama e depois faça um resumo.",
            "ja": "図を使って3つのステップでテーマを説明し、最後にまとめます。",
            "ko": "다이어그램과 함께 세 단계로 주제를 설명한 뒤 요약합니다.",
            "zh_hans": "用一张图分三步讲解一个主题，最后进行总结。",
            "hi": "एक आरेख के साथ तीन चरणों में विषय समझाएँ, फिर उसका सारांश दें।",
        },
    },
    {
        "slug": "animated-statistics",
        "category": "business",
        "tags": ",statistics,data,business,",
        "duration_seconds": 45, "min_duration_seconds": 15, "max_duration_seconds": 90,
        "aspect_ratio": "1:1", "style": "data visualisation", "tier": "free",
        "spec": {
            "audio": {"kind": "tone", "frequency": 247},
            "slots": [{"key": "chart", "kind": "image", "label": "Chart"}],
            "scenes": [
                _scene(7, "#065f46", "This year in numbers", transition="cut", font_size=0.08),
                _scene(9, "#047857", "120,000 customers", transition="radial", font_size=0.09),
                _scene(9, "#059669", "98% would recommend us", transition="radial", font_size=0.08),
                _scene(12, "#064e3b", "Growth by quarter", transition="slideup", position="top", slot="chart"),
                _scene(8, "#022c22", "Thank you for a great year", transition="fade", color="#6ee7b7"),
            ],
        },
        "title": {
            "en": "Animated Statistics", "es": "Estadísticas animadas",
            "fr": "Statistiques animées", "de": "Animierte Statistiken",
            "pt": "Estatísticas animadas", "ja": "アニメーション統計",
            "ko": "애니메이션 통계", "zh_hans": "动态统计数据",
            "hi": "एनिमेटेड आँकड़े",
        },
        "description": {
            "en": "Big numbers, one after another, and a chart to show the trend.",
            "es": "Grandes cifras, una tras otra, y un gráfico que muestra la tendencia.",
            "fr": "De grands chiffres, l’un après l’autre, et un graphique pour montrer la tendance.",
            "de": "Große Zahlen nacheinander und ein Diagramm, das den Trend zeigt.",
            "pt": "Grandes números, um após o outro, e um gráfico para mostrar a tendência.",
            "ja": "大きな数字を次々に見せ、グラフで傾向を示します。",
            "ko": "큰 숫자를 하나씩 보여 주고 추세를 나타내는 차트를 더합니다.",
            "zh_hans": "一个接一个的醒目数字，再用图表展示趋势。",
            "hi": "बड़ी संख्याएँ एक के बाद एक, और रुझान दिखाने के लिए एक चार्ट।",
        },
    },
    {
        "slug": "product-demo-in-60-seconds",
        "category": "marketing",
        "tags": ",product,demo,marketing,",
        "duration_seconds": 60, "min_duration_seconds": 20, "max_duration_seconds": 120,
        "aspect_ratio": "16:9", "style": "professional", "tier": "pro",
        "spec": {
            "audio": {"kind": "tone", "frequency": 294},
            "slots": [
                {"key": "screen", "kind": "any", "label": "Screenshot or screen recording"},
                {"key": "logo", "kind": "image", "label": "Logo"},
            ],
            "scenes": [
                _scene(8, "#0f172a", "Product demo in 60 seconds", transition="cut", font_size=0.05, slot="logo"),
                _scene(12, "#1e293b", "The problem your customers have", transition="fade", font_size=0.045),
                _scene(20, "#334155", "See how it works", transition="slideleft", position="top", font_size=0.045, slot="screen"),
                _scene(12, "#1e293b", "Set up in minutes, no code needed", transition="slideleft", font_size=0.045),
                _scene(8, "#ea580c", "Start your free trial today", transition="fade", font_size=0.05),
            ],
        },
        "title": {
            "en": "Product Demo in 60 Seconds", "es": "Demostración de producto en 60 segundos",
            "fr": "Démo produit en 60 secondes", "de": "Produktdemo in 60 Sekunden",
            "pt": "Demonstração de produto em 60 segundos", "ja": "60秒でわかる製品デモ",
            "ko": "60초 제품 데모", "zh_hans": "60 秒产品演示",
            "hi": "60 सेकंड में उत्पाद डेमो",
        },
        "description": {
            "en": "Problem, walkthrough and call to action for a software product, with your logo and a screen recording.",
            "es": "Problema, recorrido y llamada a la acción para un producto de software, con tu logotipo y una grabación de pantalla.",
            "fr": "Problème, démonstration et appel à l’action pour un logiciel, avec votre logo et un enregistrement d’écran.",
            "de": "Problem, Rundgang und Handlungsaufforderung für ein Softwareprodukt – mit Ihrem Logo und einer Bildschirmaufnahme.",
            "pt": "Problema, demonstração e chamada para ação para um produto de software, com o seu logotipo e uma gravação de tela.",
            "ja": "ロゴと画面録画を使い、課題・操作説明・行動喚起でソフトウェア製品を紹介します。",
            "ko": "로고와 화면 녹화로 소프트웨어 제품의 문제, 사용 흐름, 행동 유도를 보여 줍니다.",
            "zh_hans": "用您的标志和屏幕录像，呈现软件产品的痛点、操作演示和行动号召。",
            "hi": "आपके लोगो और स्क्रीन रिकॉर्डिंग के साथ, सॉफ़्टवेयर उत्पाद के लिए समस्या, वॉकथ्रू और कॉल टू एक्शन।",
        },
    },
    {
        "slug": "brand-story",
        "category": "storytelling",
        "tags": ",brand,story,cinematic,",
        "duration_seconds": 90, "min_duration_seconds": 30, "max_duration_seconds": 180,
        "aspect_ratio": "16:9", "style": "cinematic", "tier": "pro",
        "spec": {
            "audio": {"kind": "tone", "frequency": 131},
            "slots": [{"key": "footage", "kind": "any", "label": "Footage or photo"}],
            "scenes": [
                _scene(12, "#000000", "It started with a question", transition="cut", font_size=0.05, color="#f5f5f4"),
                _scene(18, "#1c1917", "What if work felt like play?", transition="dissolve", font_size=0.05, slot="footage"),
                _scene(20, "#292524", "We built it, one idea at a time", transition="dissolve", font_size=0.045),
                _scene(20, "#44403c", "Today, thousands create with us", transition="fade", font_size=0.045),
                _scene(20, "#0c0a09", "Your story is next", transition="fade", font_size=0.06, color="#fbbf24"),
            ],
        },
        "title": {
            "en": "Brand Story Template", "es": "Plantilla de historia de marca",
            "fr": "Modèle d’histoire de marque", "de": "Vorlage für Markengeschichten",
            "pt": "Modelo de história da marca", "ja": "ブランドストーリーテンプレート",
            "ko": "브랜드 스토리 템플릿", "zh_hans": "品牌故事模板",
            "hi": "ब्रांड कहानी टेम्पलेट",
        },
        "description": {
            "en": "A cinematic story arc for your brand: the question, the journey and the invitation.",
            "es": "Un arco narrativo cinematográfico para tu marca: la pregunta, el camino y la invitación.",
            "fr": "Un récit cinématographique pour votre marque : la question, le parcours et l’invitation.",
            "de": "Ein filmischer Erzählbogen für Ihre Marke: die Frage, der Weg und die Einladung.",
            "pt": "Um arco narrativo cinematográfico para a sua marca: a pergunta, a jornada e o convite.",
            "ja": "問い、歩み、そして招待。ブランドのための映画のようなストーリー構成です。",
            "ko": "질문, 여정, 초대로 이어지는 브랜드를 위한 영화 같은 스토리 구성.",
            "zh_hans": "为您的品牌打造电影般的故事线：提问、历程与邀请。",
            "hi": "आपके ब्रांड के लिए एक सिनेमाई कहानी: प्रश्न, यात्रा और निमंत्रण।",
        },
    },
]


def seed(apps, schema_editor):
    Template = apps.get_model("videos", "Template")
    for starter in STARTERS:
        fields = {
            key: starter[key]
            for key in (
                "category", "tags", "duration_seconds", "min_duration_seconds", "max_duration_seconds",
                "aspect_ratio", "style", "tier",
            )
        }
        fields["scene_spec"] = starter["spec"]
        fields["title"] = starter["title"]["en"]
        fields["description"] = starter["description"]["en"]
        for lang, text in starter["title"].items():
            fields[f"title_{lang}"] = text
        for lang, text in starter["description"].items():
            fields[f"description_{lang}"] = text
        Template.objects.update_or_create(slug=starter["slug"], defaults=fields)


def unseed(apps, schema_editor):
    apps.get_model("videos", "Template").objects.filter(slug__in=[s["slug"] for s in STARTERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("videos", "0002_video_title_trigram")]

    operations = [migrations.RunPython(seed, unseed)]
