"""Each kind on each channel: the inbox, e-mail and browser push are switched on and off per kind,
on the one notification settings page (and its API twin), and each switch is obeyed."""

import pytest
from django.core import mail
from django.urls import reverse

from config.errors import DomainError
from teams import services
from teams.models import Notification, NotificationPreference, PushDelivery
from teams.notification_kinds import NotificationKind
from teams.push_keys import vapid_keys
from tests.teams.push_service import PushService, subscribe
from tests.videos.exports import ready_video
from videos.models import Template
from videos.services import video_create_from_template
from videos.services.exports import export_start

pytestmark = pytest.mark.django_db


def mention(recipient, capture):
    with capture(execute=True):
        services.notification_send(
            recipient=recipient,
            kind=NotificationKind.MENTION,
            params={"actor": "Mia", "video": "Teaser"},
            target_url="/videos/1/",
        )


def test_all_three_channels_by_default_for_a_mention(creator, creator_api, django_capture_on_commit_callbacks):
    with PushService() as service:
        subscribe(creator_api, service.browser())
        mention(creator, django_capture_on_commit_callbacks)
        assert len(service.received) == 1
    assert Notification.objects.filter(recipient=creator, kind=NotificationKind.MENTION).count() == 1
    assert [m.subject for m in mail.outbox] == ["Mia mentioned you on “Teaser”."]


def test_push_off_sends_nothing_to_the_push_service(creator, creator_api, django_capture_on_commit_callbacks):
    services.notification_preference_set(user=creator, kind=NotificationKind.MENTION, push=False)
    with PushService() as service:
        subscribe(creator_api, service.browser())
        mention(creator, django_capture_on_commit_callbacks)
        assert service.received == []
    assert not PushDelivery.objects.exists()
    # The other channels are untouched.
    assert Notification.objects.filter(recipient=creator).count() == 1
    assert len(mail.outbox) == 1


def test_inbox_off_keeps_the_row_out_but_still_pushes_and_emails(
    creator, creator_api, django_capture_on_commit_callbacks
):
    services.notification_preference_set(user=creator, kind=NotificationKind.MENTION, in_app=False)
    with PushService() as service:
        browser = service.browser()
        subscribe(creator_api, browser)
        mention(creator, django_capture_on_commit_callbacks)
        [request] = service.received
        payload = service.open(request, browser, server_public_key=vapid_keys().public_key)
    assert not Notification.objects.filter(recipient=creator).exists()
    assert payload["body"] == "Mia mentioned you on “Teaser”."
    assert len(mail.outbox) == 1


def test_email_off_queues_no_mail(creator, creator_api, django_capture_on_commit_callbacks):
    services.notification_preference_set(user=creator, kind=NotificationKind.MENTION, email=False)
    with PushService() as service:
        subscribe(creator_api, service.browser())
        mention(creator, django_capture_on_commit_callbacks)
        assert len(service.received) == 1
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=creator).count() == 1


def test_promotions_are_opt_in_for_email_and_push(creator, creator_api, django_capture_on_commit_callbacks):
    with PushService() as service:
        browser = service.browser()
        subscribe(creator_api, browser)
        with django_capture_on_commit_callbacks(execute=True):
            services.notification_send(
                recipient=creator, kind=NotificationKind.PROMOTIONS, params={"text": "Pro is 20 % off this week."}
            )
        assert service.received == []
        services.notification_preference_set(user=creator, kind=NotificationKind.PROMOTIONS, push=True)
        with django_capture_on_commit_callbacks(execute=True):
            services.notification_send(
                recipient=creator, kind=NotificationKind.PROMOTIONS, params={"text": "Pro is 20 % off this week."}
            )
        [request] = service.received
        payload = service.open(request, browser, server_public_key=vapid_keys().public_key)
    assert payload["body"] == "Pro is 20 % off this week."
    # A promotion may wait for an offline browser, and never wakes a phone urgently.
    assert (request.headers["ttl"], request.headers["urgency"]) == ("259200", "low")
    assert mail.outbox == []


def test_kinds_that_cannot_be_pushed_are_refused_a_push_switch(creator):
    with pytest.raises(DomainError, match="browser notification"):
        services.notification_preference_set(user=creator, kind=NotificationKind.MEMBER_JOINED, push=True)


def test_a_finished_render_notifies_its_author_through_the_notification_path(
    creator, creator_api, django_capture_on_commit_callbacks
):
    template = Template.objects.get(slug="youtube-short-quote-animation")
    with PushService() as service:
        browser = service.browser()
        subscribe(creator_api, browser)
        with django_capture_on_commit_callbacks(execute=True):
            video = video_create_from_template(
                user=creator, team=None, template=template, title="Launch", customization={"duration": 5}
            )
        [request] = service.received
        payload = service.open(request, browser, server_public_key=vapid_keys().public_key)
    assert payload["kind"] == NotificationKind.RENDER_FINISHED
    assert payload["body"] == "“Launch” has finished rendering and is ready to watch."
    assert payload["url"] == reverse("videos:detail", args=[video.pk])
    notification = Notification.objects.get(recipient=creator, kind=NotificationKind.RENDER_FINISHED)
    assert notification.target_url == payload["url"]
    assert mail.outbox == []  # renders are not e-mailed unless asked for


def test_the_settings_page_switches_each_channel_per_kind(creator, creator_client):
    page = creator_client.get(reverse("notification_settings")).content.decode()
    assert 'name="push_kinds" value="mention"' in page
    assert 'name="push_kinds" value="render_finished"' in page
    # Only the kinds that can be pushed have a browser switch.
    assert 'name="push_kinds" value="member_joined"' not in page
    assert 'name="in_app_kinds" value="member_joined"' in page
    assert "Allow browser notifications" in page

    answer = creator_client.post(
        reverse("notification_settings"),
        {
            "in_app_kinds": ["mention", "render_finished"],
            "email_kinds": ["mention"],
            "push_kinds": ["render_finished", "promotions"],
        },
    )
    assert answer.status_code == 302
    chosen = services.notification_channel_kinds_for(user=creator)
    assert chosen["in_app"] == {"mention", "render_finished"}
    assert chosen["email"] == {"mention"}
    assert chosen["push"] == {"render_finished", "promotions"}
    row = NotificationPreference.objects.get(user=creator, kind="mention")
    assert (row.in_app, row.email, row.push) == (True, True, False)


def test_the_api_reads_and_writes_the_same_channels(creator, creator_api):
    answer = creator_api.get(reverse("api-notification-preferences")).json()
    assert set(answer["available_push_kinds"]) == {
        "mention",
        "export_ready",
        "publish_result",
        "render_finished",
        "promotions",
    }
    assert "promotions" not in answer["push_kinds"]
    saved = creator_api.put(
        reverse("api-notification-preferences"),
        {"email_kinds": [], "push_kinds": ["promotions"], "in_app_kinds": ["mention"]},
        format="json",
    ).json()
    assert (saved["push_kinds"], saved["in_app_kinds"], saved["email_kinds"]) == (["promotions"], ["mention"], [])
    refused = creator_api.put(
        reverse("api-notification-preferences"), {"email_kinds": [], "push_kinds": ["member_joined"]}, format="json"
    )
    assert refused.status_code == 400
    # Leaving a channel out keeps it as it was.
    creator_api.put(reverse("api-notification-preferences"), {"email_kinds": ["mention"]}, format="json")
    assert services.notification_channel_kinds_for(user=creator)["push"] == {"promotions"}


def test_a_ready_export_is_pushed_too(creator, creator_api, django_capture_on_commit_callbacks):
    with PushService() as service:
        browser = service.browser()
        subscribe(creator_api, browser)
        video, _content = ready_video(owner=creator)
        with django_capture_on_commit_callbacks(execute=True):
            job = export_start(user=creator, video_ids=[video.pk])
        [request] = service.received
        payload = service.open(request, browser, server_public_key=vapid_keys().public_key)
    assert payload["kind"] == NotificationKind.EXPORT_READY
    assert payload["url"] == f"/exports/{job.pk}/"
    assert payload["body"] == f"Your export “{job.label}” is ready to download."


def test_the_settings_page_leads_to_the_marketing_email_choices(creator_client):
    page = creator_client.get(reverse("notification_settings")).content.decode()
    assert f'href="{reverse("growth:email_preferences")}"' in page
