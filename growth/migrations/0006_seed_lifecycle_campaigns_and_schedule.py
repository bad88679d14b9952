"""The nine lifecycle campaigns, with their subject, body and button in all nine languages (staff and
translators edit them in the ops console; an emptied language falls back to English), and the two
beat schedules: evaluating the triggers every 15 minutes, and the sender every minute."""

from django.db import migrations

from config.beat import periodic_task_schedule, periodic_task_unschedule

CAMPAIGNS = [
    {
        "key": "welcome",
        "name": "Welcome",
        "trigger": "welcome",
        "category": "tips",
        "delay_days": 0,
        "goal_event": "video.created",
        "subject": "Welcome to Video Creator",
        "body": "Hi {name},\n\nThanks for joining Video Creator. Pick a template, add your words, colours and "
        "logo, and your first video is rendered in a minute or two.",
        "cta_label": "Browse the templates",
        "cta_path": "/templates/",
    },
    {
        "key": "first-video-tips",
        "name": "First-video tips",
        "trigger": "first_video_tips",
        "category": "tips",
        "delay_days": 1,
        "goal_event": "video.created",
        "subject": "Three tips for your first video",
        "body": "Hi {name},\n\n1. Start from a template made for where you will post it.\n2. Keep the first line "
        "short: it is what people read while scrolling.\n3. Add your logo once; every video can use it.",
        "cta_label": "Make my first video",
        "cta_path": "/templates/",
    },
    {
        "key": "template-showcase",
        "name": "Template showcase",
        "trigger": "template_showcase",
        "category": "tips",
        "delay_days": 3,
        "goal_event": "template.used",
        "subject": "Templates for reels, shorts and explainers",
        "body": "Hi {name},\n\nProduct showcases, quick tutorials, quote animations, animated statistics: "
        "there is a template for each, ready for Instagram, TikTok and YouTube.",
        "cta_label": "See every template",
        "cta_path": "/templates/",
    },
    {
        "key": "activation-nudge",
        "name": "Activation nudge",
        "trigger": "activation_nudge",
        "category": "tips",
        "delay_days": 7,
        "goal_event": "video.created",
        "subject": "Your first video is two minutes away",
        "body": "Hi {name},\n\nYou signed up a week ago but have not made a video yet. Choose a template, "
        "type your text, and we render it for you.",
        "cta_label": "Start now",
        "cta_path": "/templates/",
    },
    {
        "key": "feature-discovery",
        "name": "Feature discovery",
        "trigger": "feature_discovery",
        "category": "tips",
        "delay_days": 2,
        "goal_event": "video.published",
        "subject": "Publish on a schedule, keep every version",
        "body": "Hi {name},\n\nNice first video! Did you know you can schedule it on YouTube, Instagram, "
        "TikTok, Facebook and X, go back to any earlier version, and export many videos at once?",
        "cta_label": "Schedule a video",
        "cta_path": "/publishing/",
    },
    {
        "key": "pro-upgrade",
        "name": "Pro upgrade offer",
        "trigger": "pro_upgrade",
        "category": "offers",
        "delay_days": 0,
        "goal_event": "user.subscribed",
        "subject": "Ten videos made: time for Pro?",
        "body": "Hi {name},\n\nYou have made ten videos. Pro gives you more videos a month, your logo on "
        "every video, the Pro templates and larger exports.",
        "cta_label": "See Pro",
        "cta_path": "/pricing/",
    },
    {
        "key": "we-miss-you",
        "name": "We miss you",
        "trigger": "we_miss_you",
        "category": "tips",
        "delay_days": 30,
        "goal_event": "user.logged_in",
        "subject": "We miss you at Video Creator",
        "body": "Hi {name},\n\nIt has been a month. New templates have arrived since your last visit; your "
        "videos and logos are where you left them.",
        "cta_label": "Open Video Creator",
        "cta_path": "/dashboard/",
    },
    {
        "key": "feedback-request",
        "name": "Feedback request",
        "trigger": "feedback_request",
        "category": "feedback",
        "delay_days": 60,
        "goal_event": "feature.requested",
        "subject": "What would make Video Creator better for you?",
        "body": "Hi {name},\n\nWe have not seen you for a while, and we would like to know why. Tell us what "
        "was missing or vote for what we should build next.",
        "cta_label": "Share your idea",
        "cta_path": "/features/",
    },
    {
        "key": "newsletter",
        "name": "Monthly newsletter",
        "trigger": "newsletter",
        "category": "newsletter",
        "delay_days": 3,
        "goal_event": "user.logged_in",
        "subject": "What is new at Video Creator this month",
        "body": "Hi {name},\n\nThis month: new templates, faster renders and scheduled publishing to more "
        "platforms. Thanks for making videos with us.",
        "cta_label": "See what is new",
        "cta_path": "/dashboard/",
    },
]
TRANSLATED = ("subject", "body", "cta_label")

# key -> lang -> (subject, body, cta_label)
TRANSLATIONS = {
    "welcome": {
        "es": ("Bienvenido a Video Creator", "Hola {name}:\n\nGracias por unirte a Video Creator. Elige una plantilla, añade tus textos, colores y logotipo, y tu primer vídeo estará listo en un par de minutos.", "Ver las plantillas"),
        "fr": ("Bienvenue sur Video Creator", "Bonjour {name},\n\nMerci d'avoir rejoint Video Creator. Choisissez un modèle, ajoutez vos textes, vos couleurs et votre logo : votre première vidéo est prête en une ou deux minutes.", "Voir les modèles"),
        "de": ("Willkommen bei Video Creator", "Hallo {name},\n\ndanke, dass du Video Creator nutzt. Wähle eine Vorlage, füge Texte, Farben und Logo hinzu – dein erstes Video ist in ein, zwei Minuten fertig.", "Vorlagen ansehen"),
        "pt": ("Bem-vindo ao Video Creator", "Olá {name},\n\nObrigado por entrar no Video Creator. Escolha um modelo, adicione seus textos, cores e logotipo, e seu primeiro vídeo fica pronto em um ou dois minutos.", "Ver os modelos"),
        "ja": ("Video Creator へようこそ", "{name} さん\n\nVideo Creator にご登録いただきありがとうございます。テンプレートを選び、テキスト・色・ロゴを加えるだけで、最初の動画が 1〜2 分で完成します。", "テンプレートを見る"),
        "ko": ("Video Creator에 오신 것을 환영합니다", "{name}님, 안녕하세요.\n\nVideo Creator에 가입해 주셔서 감사합니다. 템플릿을 고르고 텍스트, 색상, 로고를 넣으면 첫 동영상이 1~2분 안에 완성됩니다.", "템플릿 보기"),
        "zh-hans": ("欢迎使用 Video Creator", "{name}，你好：\n\n感谢你加入 Video Creator。选择一个模板，添加文字、颜色和标志，一两分钟内即可生成你的第一个视频。", "浏览模板"),
        "hi": ("Video Creator में आपका स्वागत है", "नमस्ते {name},\n\nVideo Creator से जुड़ने के लिए धन्यवाद। एक टेम्पलेट चुनें, अपने शब्द, रंग और लोगो जोड़ें, और आपका पहला वीडियो एक-दो मिनट में तैयार हो जाएगा।", "टेम्पलेट देखें"),
    },
    "first-video-tips": {
        "es": ("Tres consejos para tu primer vídeo", "Hola {name}:\n\n1. Empieza con una plantilla pensada para donde vas a publicar.\n2. Que la primera línea sea corta.\n3. Añade tu logotipo una vez y úsalo en todos tus vídeos.", "Crear mi primer vídeo"),
        "fr": ("Trois conseils pour votre première vidéo", "Bonjour {name},\n\n1. Partez d'un modèle conçu pour l'endroit où vous publierez.\n2. Gardez la première ligne courte.\n3. Ajoutez votre logo une fois : toutes vos vidéos peuvent l'utiliser.", "Créer ma première vidéo"),
        "de": ("Drei Tipps für dein erstes Video", "Hallo {name},\n\n1. Starte mit einer Vorlage für die Plattform, auf der du postest.\n2. Halte die erste Zeile kurz.\n3. Füge dein Logo einmal hinzu – jedes Video kann es nutzen.", "Mein erstes Video erstellen"),
        "pt": ("Três dicas para o seu primeiro vídeo", "Olá {name},\n\n1. Comece com um modelo feito para onde você vai publicar.\n2. Mantenha a primeira linha curta.\n3. Adicione seu logotipo uma vez; todos os vídeos podem usá-lo.", "Criar meu primeiro vídeo"),
        "ja": ("最初の動画のための 3 つのヒント", "{name} さん\n\n1. 投稿先に合わせたテンプレートから始めましょう。\n2. 最初の一行は短く。\n3. ロゴは一度追加すれば、すべての動画で使えます。", "最初の動画を作る"),
        "ko": ("첫 동영상을 위한 세 가지 팁", "{name}님, 안녕하세요.\n\n1. 게시할 곳에 맞는 템플릿으로 시작하세요.\n2. 첫 줄은 짧게 쓰세요.\n3. 로고는 한 번만 추가하면 모든 동영상에 쓸 수 있습니다.", "첫 동영상 만들기"),
        "zh-hans": ("制作第一个视频的三个小贴士", "{name}，你好：\n\n1. 从适合你发布平台的模板开始。\n2. 第一行文字要简短。\n3. 只需添加一次标志，所有视频都能使用。", "制作我的第一个视频"),
        "hi": ("आपके पहले वीडियो के लिए तीन सुझाव", "नमस्ते {name},\n\n1. जहाँ पोस्ट करना है, उसके लिए बने टेम्पलेट से शुरू करें।\n2. पहली पंक्ति छोटी रखें।\n3. अपना लोगो एक बार जोड़ें; हर वीडियो उसे इस्तेमाल कर सकता है।", "मेरा पहला वीडियो बनाएँ"),
    },
    "template-showcase": {
        "es": ("Plantillas para reels, shorts y vídeos explicativos", "Hola {name}:\n\nPresentaciones de producto, tutoriales rápidos, citas animadas, estadísticas animadas: hay una plantilla para cada cosa, lista para Instagram, TikTok y YouTube.", "Ver todas las plantillas"),
        "fr": ("Des modèles pour reels, shorts et vidéos explicatives", "Bonjour {name},\n\nVitrines produit, tutoriels express, citations animées, statistiques animées : il existe un modèle pour chacun, prêt pour Instagram, TikTok et YouTube.", "Voir tous les modèles"),
        "de": ("Vorlagen für Reels, Shorts und Erklärvideos", "Hallo {name},\n\nProdukt-Showcases, kurze Tutorials, animierte Zitate, animierte Statistiken: Für alles gibt es eine Vorlage, bereit für Instagram, TikTok und YouTube.", "Alle Vorlagen ansehen"),
        "pt": ("Modelos para reels, shorts e vídeos explicativos", "Olá {name},\n\nVitrines de produto, tutoriais rápidos, citações animadas, estatísticas animadas: há um modelo para cada um, pronto para Instagram, TikTok e YouTube.", "Ver todos os modelos"),
        "ja": ("リール、ショート、解説動画のテンプレート", "{name} さん\n\n商品紹介、クイックチュートリアル、名言アニメーション、アニメーション統計。Instagram・TikTok・YouTube 向けのテンプレートがそろっています。", "すべてのテンプレートを見る"),
        "ko": ("릴스, 쇼츠, 설명 영상을 위한 템플릿", "{name}님, 안녕하세요.\n\n제품 소개, 빠른 튜토리얼, 명언 애니메이션, 애니메이션 통계까지. Instagram, TikTok, YouTube용 템플릿이 준비되어 있습니다.", "모든 템플릿 보기"),
        "zh-hans": ("适合短视频、Reels 和讲解视频的模板", "{name}，你好：\n\n产品展示、快速教程、名言动画、动态数据图表——每种都有现成的模板，适用于 Instagram、TikTok 和 YouTube。", "查看全部模板"),
        "hi": ("रील्स, शॉर्ट्स और एक्सप्लेनर के लिए टेम्पलेट", "नमस्ते {name},\n\nप्रोडक्ट शोकेस, छोटे ट्यूटोरियल, कोट एनिमेशन, एनिमेटेड आँकड़े: हर एक के लिए Instagram, TikTok और YouTube के लिए तैयार टेम्पलेट है।", "सभी टेम्पलेट देखें"),
    },
    "activation-nudge": {
        "es": ("Tu primer vídeo está a dos minutos", "Hola {name}:\n\nTe registraste hace una semana pero aún no has creado ningún vídeo. Elige una plantilla, escribe tu texto y nosotros lo renderizamos.", "Empezar ahora"),
        "fr": ("Votre première vidéo est à deux minutes", "Bonjour {name},\n\nVous vous êtes inscrit il y a une semaine mais n'avez pas encore créé de vidéo. Choisissez un modèle, tapez votre texte, nous faisons le rendu.", "Commencer maintenant"),
        "de": ("Dein erstes Video ist zwei Minuten entfernt", "Hallo {name},\n\ndu hast dich vor einer Woche angemeldet, aber noch kein Video erstellt. Wähle eine Vorlage, schreib deinen Text – wir rendern es für dich.", "Jetzt starten"),
        "pt": ("Seu primeiro vídeo está a dois minutos", "Olá {name},\n\nVocê se cadastrou há uma semana, mas ainda não criou um vídeo. Escolha um modelo, digite seu texto e nós renderizamos para você.", "Começar agora"),
        "ja": ("最初の動画まであと 2 分", "{name} さん\n\nご登録から 1 週間、まだ動画がありません。テンプレートを選んでテキストを入力すれば、あとは私たちがレンダリングします。", "今すぐ始める"),
        "ko": ("첫 동영상까지 2분이면 충분합니다", "{name}님, 안녕하세요.\n\n가입하신 지 일주일이 지났지만 아직 동영상이 없습니다. 템플릿을 고르고 텍스트를 입력하면 저희가 렌더링해 드립니다.", "지금 시작하기"),
        "zh-hans": ("只需两分钟，完成你的第一个视频", "{name}，你好：\n\n你一周前注册，但还没有制作视频。选择一个模板，输入文字，剩下的渲染交给我们。", "立即开始"),
        "hi": ("आपका पहला वीडियो बस दो मिनट दूर है", "नमस्ते {name},\n\nआपने एक हफ़्ते पहले साइन अप किया, पर अभी तक कोई वीडियो नहीं बनाया। एक टेम्पलेट चुनें, अपना टेक्स्ट लिखें, और हम उसे रेंडर कर देंगे।", "अभी शुरू करें"),
    },
    "feature-discovery": {
        "es": ("Publica con programación y conserva cada versión", "Hola {name}:\n\n¡Buen primer vídeo! ¿Sabías que puedes programarlo en YouTube, Instagram, TikTok, Facebook y X, volver a cualquier versión anterior y exportar muchos vídeos a la vez?", "Programar un vídeo"),
        "fr": ("Publiez à heure fixe, gardez chaque version", "Bonjour {name},\n\nBelle première vidéo ! Saviez-vous que vous pouvez la programmer sur YouTube, Instagram, TikTok, Facebook et X, revenir à toute version précédente et exporter plusieurs vidéos à la fois ?", "Programmer une vidéo"),
        "de": ("Zeitgesteuert veröffentlichen, jede Version behalten", "Hallo {name},\n\nschönes erstes Video! Wusstest du, dass du es für YouTube, Instagram, TikTok, Facebook und X planen, zu jeder früheren Version zurückkehren und viele Videos auf einmal exportieren kannst?", "Video planen"),
        "pt": ("Publique com agendamento e guarde cada versão", "Olá {name},\n\nÓtimo primeiro vídeo! Sabia que você pode agendá-lo no YouTube, Instagram, TikTok, Facebook e X, voltar a qualquer versão anterior e exportar vários vídeos de uma vez?", "Agendar um vídeo"),
        "ja": ("予約投稿と全バージョンの保存", "{name} さん\n\n最初の動画、すてきです。YouTube・Instagram・TikTok・Facebook・X への予約投稿、過去のバージョンへの復元、複数動画の一括書き出しもできます。", "動画を予約投稿する"),
        "ko": ("예약 게시와 모든 버전 보관", "{name}님, 안녕하세요.\n\n멋진 첫 동영상이네요! YouTube, Instagram, TikTok, Facebook, X에 예약 게시하고, 이전 버전으로 되돌리고, 여러 동영상을 한 번에 내보낼 수 있다는 걸 아셨나요?", "동영상 예약하기"),
        "zh-hans": ("定时发布，保留每个版本", "{name}，你好：\n\n第一个视频很棒！你知道吗？你可以将它定时发布到 YouTube、Instagram、TikTok、Facebook 和 X，恢复任何旧版本，还能一次导出多个视频。", "定时发布视频"),
        "hi": ("शेड्यूल पर पब्लिश करें, हर वर्ज़न रखें", "नमस्ते {name},\n\nबढ़िया पहला वीडियो! क्या आप जानते हैं कि आप उसे YouTube, Instagram, TikTok, Facebook और X पर शेड्यूल कर सकते हैं, किसी भी पुराने वर्ज़न पर लौट सकते हैं और कई वीडियो एक साथ एक्सपोर्ट कर सकते हैं?", "वीडियो शेड्यूल करें"),
    },
    "pro-upgrade": {
        "es": ("Diez vídeos creados: ¿es hora de Pro?", "Hola {name}:\n\nYa has creado diez vídeos. Pro te da más vídeos al mes, tu logotipo en cada vídeo, las plantillas Pro y exportaciones más grandes.", "Ver Pro"),
        "fr": ("Dix vidéos créées : place à Pro ?", "Bonjour {name},\n\nVous avez créé dix vidéos. Pro vous donne plus de vidéos par mois, votre logo sur chaque vidéo, les modèles Pro et des exports plus grands.", "Découvrir Pro"),
        "de": ("Zehn Videos erstellt: Zeit für Pro?", "Hallo {name},\n\ndu hast zehn Videos erstellt. Pro bietet mehr Videos pro Monat, dein Logo auf jedem Video, die Pro-Vorlagen und größere Exporte.", "Pro ansehen"),
        "pt": ("Dez vídeos criados: hora do Pro?", "Olá {name},\n\nVocê criou dez vídeos. O Pro oferece mais vídeos por mês, seu logotipo em cada vídeo, os modelos Pro e exportações maiores.", "Ver o Pro"),
        "ja": ("動画 10 本達成：Pro はいかがですか？", "{name} さん\n\n動画を 10 本作成しました。Pro なら月間の動画数が増え、すべての動画にロゴを入れられ、Pro テンプレートと大きな書き出しも使えます。", "Pro を見る"),
        "ko": ("동영상 10개 달성: 이제 Pro를 써 보세요", "{name}님, 안녕하세요.\n\n동영상을 10개 만드셨습니다. Pro에서는 월별 동영상 수가 늘고, 모든 동영상에 로고를 넣고, Pro 템플릿과 더 큰 내보내기를 쓸 수 있습니다.", "Pro 보기"),
        "zh-hans": ("已制作十个视频：升级 Pro 吧？", "{name}，你好：\n\n你已经制作了十个视频。Pro 提供每月更多视频、每个视频都可加上你的标志、Pro 模板以及更大的导出。", "了解 Pro"),
        "hi": ("दस वीडियो बन गए: Pro का समय?", "नमस्ते {name},\n\nआपने दस वीडियो बना लिए हैं। Pro में हर महीने ज़्यादा वीडियो, हर वीडियो पर आपका लोगो, Pro टेम्पलेट और बड़े एक्सपोर्ट मिलते हैं।", "Pro देखें"),
    },
    "we-miss-you": {
        "es": ("Te echamos de menos en Video Creator", "Hola {name}:\n\nHa pasado un mes. Desde tu última visita han llegado plantillas nuevas; tus vídeos y logotipos siguen donde los dejaste.", "Abrir Video Creator"),
        "fr": ("Vous nous manquez sur Video Creator", "Bonjour {name},\n\nCela fait un mois. De nouveaux modèles sont arrivés depuis votre dernière visite ; vos vidéos et logos sont là où vous les avez laissés.", "Ouvrir Video Creator"),
        "de": ("Wir vermissen dich bei Video Creator", "Hallo {name},\n\nes ist ein Monat vergangen. Seit deinem letzten Besuch sind neue Vorlagen dazugekommen; deine Videos und Logos warten auf dich.", "Video Creator öffnen"),
        "pt": ("Sentimos sua falta no Video Creator", "Olá {name},\n\nJá faz um mês. Chegaram modelos novos desde a sua última visita; seus vídeos e logotipos estão onde você os deixou.", "Abrir o Video Creator"),
        "ja": ("Video Creator でお待ちしています", "{name} さん\n\n前回のご利用から 1 か月が経ちました。新しいテンプレートが増えています。動画やロゴはそのまま残っています。", "Video Creator を開く"),
        "ko": ("Video Creator에서 기다리고 있어요", "{name}님, 안녕하세요.\n\n한 달이 지났네요. 마지막 방문 이후 새 템플릿이 추가되었고, 동영상과 로고는 그대로 있습니다.", "Video Creator 열기"),
        "zh-hans": ("Video Creator 想念你", "{name}，你好：\n\n已经一个月了。自你上次访问以来，我们上线了新模板；你的视频和标志都还在原处。", "打开 Video Creator"),
        "hi": ("Video Creator पर हमें आपकी याद आई", "नमस्ते {name},\n\nएक महीना हो गया। आपकी पिछली विज़िट के बाद नए टेम्पलेट आए हैं; आपके वीडियो और लोगो वहीं हैं जहाँ आपने छोड़े थे।", "Video Creator खोलें"),
    },
    "feedback-request": {
        "es": ("¿Qué haría Video Creator mejor para ti?", "Hola {name}:\n\nHace tiempo que no te vemos y nos gustaría saber por qué. Cuéntanos qué te faltó o vota lo que deberíamos crear a continuación.", "Compartir tu idea"),
        "fr": ("Qu'est-ce qui rendrait Video Creator meilleur pour vous ?", "Bonjour {name},\n\nNous ne vous avons pas vu depuis un moment et aimerions savoir pourquoi. Dites-nous ce qui manquait ou votez pour notre prochaine fonctionnalité.", "Partager votre idée"),
        "de": ("Was würde Video Creator für dich besser machen?", "Hallo {name},\n\nwir haben dich länger nicht gesehen und würden gern wissen, warum. Sag uns, was gefehlt hat, oder stimme ab, was wir als Nächstes bauen.", "Idee teilen"),
        "pt": ("O que tornaria o Video Creator melhor para você?", "Olá {name},\n\nFaz tempo que não vemos você e gostaríamos de saber por quê. Conte o que faltou ou vote no que devemos criar a seguir.", "Compartilhar sua ideia"),
        "ja": ("Video Creator をもっと良くするには？", "{name} さん\n\nしばらくお見かけしていないので、理由を教えていただけると嬉しいです。足りなかった機能を教えていただくか、次に作る機能に投票してください。", "アイデアを送る"),
        "ko": ("Video Creator가 무엇을 더 잘하면 좋을까요?", "{name}님, 안녕하세요.\n\n한동안 뵙지 못해 이유가 궁금합니다. 부족했던 점을 알려 주시거나 다음에 만들 기능에 투표해 주세요.", "아이디어 공유하기"),
        "zh-hans": ("怎样让 Video Creator 更适合你？", "{name}，你好：\n\n好久没见到你了，我们想知道原因。告诉我们缺少了什么，或为我们接下来要做的功能投票。", "分享你的想法"),
        "hi": ("Video Creator को आपके लिए बेहतर क्या बनाएगा?", "नमस्ते {name},\n\nकाफ़ी समय से आप नहीं दिखे, और हम जानना चाहेंगे क्यों। बताइए क्या कमी थी, या वोट करें कि हम आगे क्या बनाएँ।", "अपना आइडिया बताएँ"),
    },
    "newsletter": {
        "es": ("Novedades de Video Creator este mes", "Hola {name}:\n\nEste mes: plantillas nuevas, renderizados más rápidos y publicación programada en más plataformas. Gracias por crear vídeos con nosotros.", "Ver las novedades"),
        "fr": ("Les nouveautés de Video Creator ce mois-ci", "Bonjour {name},\n\nCe mois-ci : de nouveaux modèles, des rendus plus rapides et la publication programmée sur plus de plateformes. Merci de créer vos vidéos avec nous.", "Voir les nouveautés"),
        "de": ("Neu bei Video Creator in diesem Monat", "Hallo {name},\n\ndiesen Monat: neue Vorlagen, schnelleres Rendern und geplantes Veröffentlichen auf mehr Plattformen. Danke, dass du deine Videos mit uns machst.", "Neuigkeiten ansehen"),
        "pt": ("Novidades do Video Creator este mês", "Olá {name},\n\nEste mês: modelos novos, renderizações mais rápidas e publicação agendada em mais plataformas. Obrigado por criar vídeos com a gente.", "Ver as novidades"),
        "ja": ("今月の Video Creator の新機能", "{name} さん\n\n今月は新しいテンプレート、より速いレンダリング、予約投稿の対応プラットフォーム拡大をお届けします。いつもありがとうございます。", "新機能を見る"),
        "ko": ("이번 달 Video Creator 소식", "{name}님, 안녕하세요.\n\n이번 달에는 새 템플릿, 더 빨라진 렌더링, 더 많은 플랫폼의 예약 게시가 추가되었습니다. 함께해 주셔서 감사합니다.", "새 소식 보기"),
        "zh-hans": ("Video Creator 本月新动态", "{name}，你好：\n\n本月更新：新模板、更快的渲染，以及更多平台的定时发布。感谢你用我们制作视频。", "查看新动态"),
        "hi": ("इस महीने Video Creator में नया क्या है", "नमस्ते {name},\n\nइस महीने: नए टेम्पलेट, तेज़ रेंडरिंग और ज़्यादा प्लेटफ़ॉर्म पर शेड्यूल्ड पब्लिशिंग। हमारे साथ वीडियो बनाने के लिए धन्यवाद।", "नया क्या है देखें"),
    },
}


def seed_campaigns(apps, schema_editor):
    Campaign = apps.get_model("growth", "Campaign")
    for spec in CAMPAIGNS:
        fields = {**spec, "status": "active"}
        # The historical model has the per-language columns; English is the fallback of every language.
        fields.update({f"{name}_en": spec[name] for name in TRANSLATED})
        for language, texts in TRANSLATIONS[spec["key"]].items():
            column = language.replace("-", "_")
            fields.update({f"{name}_{column}": text for name, text in zip(TRANSLATED, texts, strict=True)})
        Campaign.objects.get_or_create(key=spec["key"], defaults=fields)


def remove_campaigns(apps, schema_editor):
    apps.get_model("growth", "Campaign").objects.filter(key__in=[spec["key"] for spec in CAMPAIGNS]).delete()


def create_schedules(apps, schema_editor):
    periodic_task_schedule(
        apps, name="Lifecycle e-mail: claim the recipients", task="growth.campaigns_evaluate", every_minutes=15
    )
    periodic_task_schedule(
        apps, name="Campaign e-mail: send pending mail", task="growth.campaign_sends_deliver", every_minutes=1
    )


def remove_schedules(apps, schema_editor):
    periodic_task_unschedule(apps, task="growth.campaigns_evaluate")
    periodic_task_unschedule(apps, task="growth.campaign_sends_deliver")


class Migration(migrations.Migration):
    dependencies = [
        ("growth", "0005_campaigns"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.RunPython(seed_campaigns, remove_campaigns),
        migrations.RunPython(create_schedules, remove_schedules),
    ]
