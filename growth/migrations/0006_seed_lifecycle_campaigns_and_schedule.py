"""The nine lifecycle campaigns (English texts; staff and translators fill in the other languages in
the ops console, where an empty language falls back to English), and the two beat schedules:
evaluating the triggers every 15 minutes, and the sender every minute."""

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


def seed_campaigns(apps, schema_editor):
    Campaign = apps.get_model("growth", "Campaign")
    for spec in CAMPAIGNS:
        fields = {**spec, "status": "active"}
        # The historical model has the per-language columns; English is the fallback of every language.
        fields.update({f"{name}_en": spec[name] for name in TRANSLATED})
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
