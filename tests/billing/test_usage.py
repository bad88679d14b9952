"""Billing's usage counter: counted with the action, read by the monthly limit, kept on deletion."""

import importlib
from datetime import UTC, date, datetime, timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from billing import limits
from billing.limits import Metered
from billing.models import Plan, UsageCounter
from billing.periods import usage_period_start
from billing.services.usage import usage_record
from config.errors import LimitReached
from insights.event_names import EventName
from insights.events import record_event
from insights.models import Event
from tests.factories import UserFactory
from tests.videos.factories import TemplateFactory
from videos.models import Video
from videos.services import video_create_from_template

VIDEOS = Metered.VIDEOS_CREATED


def test_usage_is_counted_per_account_kind_and_month(creator, team):
    usage_record(account=creator, kind=VIDEOS)
    usage_record(account=creator, kind=VIDEOS, amount=2)
    usage_record(account=team, kind=VIDEOS)
    usage_record(account=creator, kind=VIDEOS, at=timezone.now() - timedelta(days=40))
    assert limits.usage(creator, VIDEOS) == 3
    assert limits.usage(team, VIDEOS) == 1  # the team is another account than its owner's own space
    assert limits.usage(UserFactory(), VIDEOS) == 0
    assert UsageCounter.objects.count() == 3


def test_a_month_starts_on_its_first_day_in_utc():
    assert usage_period_start(datetime(2026, 3, 31, 23, 30, tzinfo=UTC)) == date(2026, 3, 1)
    assert usage_period_start(datetime(2026, 4, 1, 0, 10, tzinfo=UTC)) == date(2026, 4, 1)


def test_usage_rolled_back_with_its_action_is_not_counted(creator):
    with pytest.raises(RuntimeError), transaction.atomic():
        usage_record(account=creator, kind=VIDEOS)
        raise RuntimeError("the action failed after counting")
    assert limits.usage(creator, VIDEOS) == 0
    assert not UsageCounter.objects.exists()


def test_creating_a_video_counts_it_in_the_same_transaction(creator):
    template = TemplateFactory()
    video_create_from_template(user=creator, team=None, template=template, title="counted")
    assert limits.usage(creator, VIDEOS) == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        video_create_from_template(user=creator, team=None, template=template, title="rolled back")
        raise RuntimeError("the request failed after the video was made")
    assert list(Video.objects.values_list("title", flat=True)) == ["counted"]
    assert limits.usage(creator, VIDEOS) == 1


def test_the_monthly_video_limit_reads_the_counter_not_the_analytics_events(creator):
    Plan.objects.filter(is_default=True).update(videos_per_month=2)
    template = TemplateFactory()
    # Analytics events are not the quota: a stray one neither takes a place...
    record_event(name=EventName.VIDEO_CREATED, actor=creator, subject=None, payload={"team_id": None})
    video_create_from_template(user=creator, team=None, template=template, title="one")
    # ...and places taken last month do not count this month.
    usage_record(account=creator, kind=VIDEOS, amount=5, at=timezone.now() - timedelta(days=40))
    video_create_from_template(user=creator, team=None, template=template, title="two")
    with pytest.raises(LimitReached):
        video_create_from_template(user=creator, team=None, template=template, title="three")
    assert limits.usage(creator, VIDEOS) == 2


def test_the_backfill_counts_this_months_video_events_per_account(creator, team, outsider):
    def created(*, owner, team_id=None, at=None):
        record_event(
            name=EventName.VIDEO_CREATED, actor=owner, subject=None, payload={"team_id": team_id, "owner_id": owner.pk}
        )
        if at is not None:
            Event.objects.filter(pk=Event.objects.latest("pk").pk).update(occurred_at=at)

    created(owner=creator)
    created(owner=creator)
    created(owner=creator, team_id=team.pk)
    created(owner=outsider, at=timezone.now().replace(day=1) - timedelta(days=3))  # last month
    gone = UserFactory()
    created(owner=gone)
    gone.delete()
    usage_record(account=team, kind=VIDEOS, amount=3)  # already counted: never lowered

    migration = importlib.import_module("billing.migrations.0004_backfill_video_usage")
    migration.backfill(apps, None)

    assert limits.usage(creator, VIDEOS) == 2
    assert limits.usage(team, VIDEOS) == 3
    assert limits.usage(outsider, VIDEOS) == 0
    assert UsageCounter.objects.count() == 2


def test_staff_read_usage_in_the_admin_but_cannot_change_it(staff_client, creator, team):
    usage_record(account=creator, kind=VIDEOS, amount=4)
    usage_record(account=team, kind=VIDEOS)
    response = staff_client.get(reverse("admin:billing_usagecounter_changelist"))
    assert response.status_code == 200
    assert {str(counter.account) for counter in response.context["cl"].result_list} == {str(creator), str(team)}
    counter = UsageCounter.objects.get(user=creator)
    assert staff_client.get(reverse("admin:billing_usagecounter_add")).status_code == 403
    change = reverse("admin:billing_usagecounter_change", args=[counter.pk])
    assert staff_client.post(change, {"count": 0}).status_code == 403
    delete = reverse("admin:billing_usagecounter_delete", args=[counter.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403
    counter.refresh_from_db()
    assert counter.count == 4
