"""Two creates at once must not both pass the monthly video limit; two attempts of one render
must not both hold it (PostgreSQL row locks)."""

import pytest
from django.db import connection  # noqa: F401 (the skipif condition below reads it)
from django.utils import timezone

from billing.models import Plan
from tests.concurrency import run_while_first_holds_the_lock
from tests.factories import UserFactory
from tests.videos.factories import TemplateFactory
from videos.models import Video, VideoVersion
from videos.services import version_claim, version_mark_failed, video_create_from_template

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


def stale_render(creator) -> VideoVersion:
    """A version whose worker claimed it long ago and went silent."""
    video = Video.objects.create(owner=creator, template=TemplateFactory(), title="Stuck")
    long_ago = timezone.now() - timezone.timedelta(hours=2)
    return VideoVersion.objects.create(
        video=video, number=1, status=VideoVersion.Status.RENDERING, started_at=long_ago, claim_token="old"
    )


def test_two_workers_claiming_a_stale_render_at_once_cannot_both_hold_it():
    version = stale_render(UserFactory())
    tokens: dict[str, str | None] = {}

    results = run_while_first_holds_the_lock(
        lambda: tokens.update(first=version_claim(version_id=version.pk)),
        lambda: tokens.update(second=version_claim(version_id=version.pk)),
    )

    assert results == {"first": "ok", "second": "ok"}
    assert tokens["first"] and tokens["second"] is None
    version.refresh_from_db()
    assert version.status == VideoVersion.Status.RENDERING and version.claim_token == tokens["first"]


def test_an_old_attempt_failing_while_the_render_is_claimed_again_does_not_fail_the_new_attempt():
    version = stale_render(UserFactory())
    outcome: dict[str, object] = {}

    results = run_while_first_holds_the_lock(
        lambda: outcome.update(claim=version_claim(version_id=version.pk)),
        lambda: outcome.update(failed=version_mark_failed(version_id=version.pk, claim_token="old", detail="x")),
    )

    assert results == {"first": "ok", "second": "ok"} and outcome["failed"] is False
    version.refresh_from_db()
    assert version.status == VideoVersion.Status.RENDERING and version.claim_token == outcome["claim"]
    assert version.video.status != Video.Status.FAILED
