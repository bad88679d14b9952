"""Demo videos for the demo creator, rendered by the worker like any other video."""

from teams.models import User
from videos.models import Template
from videos.services import video_create_from_template

DEMO_VIDEOS = [
    ("youtube-short-quote-animation", "Monday motivation", {"texts": ["Small steps, every day."], "duration": 15}),
    (
        "animated-statistics",
        "Our year in numbers",
        {"texts": ["2026 in numbers", "12,400 videos made"], "duration": 20},
    ),
]


def load(*, creator: User, staff: User) -> None:
    """Give the demo creator a couple of videos made from starter templates (once)."""
    if creator.videos.exists():
        return
    for slug, title, customization in DEMO_VIDEOS:
        template = Template.objects.filter(slug=slug).first()
        if template is not None:
            video_create_from_template(
                user=creator, team=None, template=template, title=title, customization=customization
            )
