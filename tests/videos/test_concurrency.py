"""Two creates at once must not both pass the monthly video limit (PostgreSQL row locks)."""

import pytest
from django.db import connection  # noqa: F401 (the skipif condition below reads it)

from billing.models import Plan
from tests.factories import UserFactory
from tests.teams.test_concurrency import run_while_first_holds_the_lock
from tests.videos.factories import TemplateFactory
from videos.models import Video
from videos.services import video_create_from_template

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_two_creates_at_once_cannot_both_take_the_last_video_of_the_month():
    Plan.objects.filter(is_default=True).update(videos_per_month=1)
    creator, template = UserFactory(), TemplateFactory()

    def create(title: str):
        return lambda: video_create_from_template(user=creator, team=None, template=template, title=title)

    results = run_while_first_holds_the_lock(create("first"), create("second"))

    assert results == {"first": "ok", "second": "limit_videos_per_month"}
    assert list(Video.objects.values_list("title", flat=True)) == ["first"]
