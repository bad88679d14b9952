"""Web push in the ops console: figures per kind, browsers forgotten through the service; the demo."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from teams.models import PushDelivery, PushSubscription
from teams.notification_kinds import NotificationKind
from teams.push_demo import load
from teams.selectors import push_stats_by_kind
from tests.config.admin_rows import ROW_MAKERS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def delivery(user, kind, *, status=PushDelivery.Status.SENT, shown=False, clicked=False, days_ago=0):
    now = timezone.now() - timedelta(days=days_ago)
    return PushDelivery.objects.create(
        user=user,
        kind=kind,
        status=status,
        created_at=now,
        shown_at=now if shown or clicked else None,
        clicked_at=now if clicked else None,
    )


def test_the_figures_per_kind_count_sent_shown_and_clicked(creator, staff_client):
    for shown, clicked in [(True, True), (True, False), (False, False), (True, True)]:
        delivery(creator, NotificationKind.MENTION, shown=shown, clicked=clicked)
    delivery(creator, NotificationKind.MENTION, status=PushDelivery.Status.GONE)
    delivery(creator, NotificationKind.RENDER_FINISHED, shown=True)
    delivery(creator, NotificationKind.RENDER_FINISHED, days_ago=40)  # outside the window

    stats = {row["kind"]: row for row in push_stats_by_kind(since=timezone.now() - timedelta(days=30))}
    mention = stats["mention"]
    assert (mention["sent"], mention["shown"], mention["clicked"], mention["gone"]) == (4, 3, 2, 1)
    assert mention["shown_rate"] == 0.75
    assert mention["click_rate"] == pytest.approx(2 / 3)
    assert (stats["render_finished"]["sent"], stats["render_finished"]["shown"]) == (1, 1)

    page = staff_client.get(reverse("admin:teams_pushdelivery_changelist")).content.decode()
    assert 'data-testid="push-stats"' in page
    row = page.split('data-kind="mention"')[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in row.split("<td>")[1:]] == ["4", "3", "2", "75 %", "67 %", "1", "0"]


def test_staff_forget_a_browser_through_the_service(staff, staff_client):
    subscription = ROW_MAKERS["teams.pushsubscription"](1)
    page = staff_client.get(reverse("admin:teams_pushsubscription_changelist")).content.decode()
    assert "push.example.com" in page
    assert subscription.endpoint not in page  # the endpoint is a capability: only its host is shown
    answer = staff_client.post(
        reverse("admin:teams_pushsubscription_changelist"),
        {"action": "delete_selected", "_selected_action": [subscription.pk], "post": "yes"},
    )
    assert answer.status_code == 302
    assert not PushSubscription.objects.exists()


def test_the_demo_history_loads_once():
    creator, staff = UserFactory(), UserFactory(is_staff=True)
    load(creator=creator, staff=staff)
    count = PushDelivery.objects.count()
    load(creator=creator, staff=staff)
    assert PushDelivery.objects.count() == count > 0
    kinds = {row["kind"] for row in push_stats_by_kind(since=timezone.now() - timedelta(days=30))}
    assert NotificationKind.PROMOTIONS in kinds and NotificationKind.RENDER_FINISHED in kinds
