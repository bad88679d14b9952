"""Campaigns in the ops console: preview per language, audience count, test mail to oneself, send
now and schedule, the figures with rates; all through the services."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from growth.campaign_models import Campaign, CampaignSend
from growth.campaign_selectors import campaign_stats
from growth.services.campaigns import campaign_send_clicked, campaign_send_opened, campaigns_start_due
from insights.event_names import EventName
from insights.events import record_event
from tests.growth.campaigns import NOW, campaign, make_pro, one_off, person

pytestmark = pytest.mark.django_db


def change_url(obj: Campaign) -> str:
    return reverse("admin:growth_campaign_change", args=[obj.pk])


def test_staff_preview_a_campaign_in_each_language(staff_client):
    sale = one_off()
    spanish = staff_client.get(reverse("admin:growth_campaign_preview", args=[sale.pk, "es"]))
    english = staff_client.get(reverse("admin:growth_campaign_preview", args=[sale.pk, "en"]))
    assert "Rebajas de primavera" in spanish.content.decode()
    assert "Hola Sam Staff" in spanish.content.decode()
    assert "Spring sale: 20 % off Pro" in english.content.decode()
    assert staff_client.get(reverse("admin:growth_campaign_preview", args=[sale.pk, "xx"])).status_code == 404


def test_the_change_page_shows_the_audience_count_and_the_figures(staff_client):
    person(joined_days_ago=40)
    make_pro(person(joined_days_ago=40), now=timezone.now())
    sale = one_off(audience_plan="free")
    page = staff_client.get(change_url(sale)).content.decode()
    # Free people only: the free person and the staff member looking, not the Pro one.
    assert '<div class="readonly">2</div>' in page
    assert 'data-testid="campaign-stats"' in page


def test_figures_count_opens_clicks_unsubscribes_and_goals_after_the_send_with_rates():
    welcome = campaign("welcome")
    readers = [person(joined_days_ago=1) for _ in range(4)]
    sends = [
        CampaignSend.objects.create(campaign=welcome, user=r, status=CampaignSend.Status.SENT, sent_at=NOW)
        for r in readers
    ]
    campaign_send_opened(send_id=sends[0].pk)
    campaign_send_clicked(send_id=sends[1].pk, target="/templates/")
    CampaignSend.objects.filter(pk=sends[2].pk).update(unsubscribed_at=NOW)
    # The goal (video.created) after the send counts; one before it does not.
    record_event(name=EventName.VIDEO_CREATED, actor=readers[1])
    from insights.models import Event

    Event.objects.create(name=EventName.VIDEO_CREATED, actor=readers[3], occurred_at=NOW.replace(year=2025))
    stats = campaign_stats(campaign=welcome)
    assert (stats.sent, stats.opened, stats.clicked, stats.unsubscribed, stats.converted) == (4, 2, 1, 1, 1)
    assert stats.rate(stats.opened) == 0.5


def test_send_a_test_to_myself_counts_nothing(staff_client, staff, django_capture_on_commit_callbacks):
    sale = one_off()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            reverse("admin:growth_campaign_changelist"),
            {"action": "send_test_action", "_selected_action": [sale.pk]},
        )
    [message] = mail.outbox
    assert message.to == [staff.email]
    assert message.subject.startswith("[TEST] Spring sale")
    assert not CampaignSend.objects.exists()


def test_send_now_claims_the_audience_and_a_second_send_is_refused(staff_client):
    person(joined_days_ago=40)
    sale = one_off()
    url = reverse("admin:growth_campaign_changelist")
    staff_client.post(url, {"action": "send_now_action", "_selected_action": [sale.pk]})
    sale.refresh_from_db()
    assert sale.status == Campaign.Status.SENDING
    claimed = CampaignSend.objects.filter(campaign=sale).count()
    assert claimed == 2  # the person and the staff member
    staff_client.post(url, {"action": "send_now_action", "_selected_action": [sale.pk]})
    assert CampaignSend.objects.filter(campaign=sale).count() == claimed


def test_a_scheduled_campaign_starts_when_due():
    from growth.services.campaigns import campaign_schedule

    person(joined_days_ago=40)
    sale = one_off()
    campaign_schedule(campaign=sale, at=NOW)
    assert campaigns_start_due(now=NOW.replace(hour=11)) == 0
    assert campaigns_start_due(now=NOW) == 1
    sale.refresh_from_db()
    assert sale.status == Campaign.Status.SENDING


def test_staff_pause_a_lifecycle_campaign(staff_client):
    welcome = campaign("welcome")
    staff_client.post(
        reverse("admin:growth_campaign_changelist"), {"action": "pause_action", "_selected_action": [welcome.pk]}
    )
    welcome.refresh_from_db()
    assert welcome.status == Campaign.Status.PAUSED


def test_staff_edit_a_language_of_the_subject_through_the_service(staff_client):
    welcome = campaign("welcome")
    page = staff_client.get(change_url(welcome))
    form = page.context["adminform"].form
    data = {name: "" if form[name].value() is None else form[name].value() for name in form.fields}
    data.update(
        {
            "subject_ja": "Video Creator へようこそ",
            "variant_subjects-TOTAL_FORMS": "0",
            "variant_subjects-INITIAL_FORMS": "0",
        }
    )
    response = staff_client.post(change_url(welcome), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    welcome.refresh_from_db()
    assert welcome.subject_ja == "Video Creator へようこそ"
