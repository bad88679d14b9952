"""The inbox: sending, rendering in the reader's language, e-mail preferences, read/unread."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from teams import services
from teams.models import Notification, NotificationPreference
from teams.notification_kinds import NotificationKind
from teams.notifications import notification_text
from tests.factories import UserFactory
from tests.teams.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def send(recipient, kind=NotificationKind.MEMBER_JOINED, **kwargs):
    params = kwargs.pop("params", {"member": "Mia", "team": "Studio"})
    return services.notification_send(recipient=recipient, kind=kind, params=params, target_url="/teams/", **kwargs)


def test_a_notification_lands_in_the_inbox_and_the_bell_counts_it(creator, creator_client):
    send(creator)
    page = creator_client.get(reverse("notification_list")).content.decode()
    assert "Mia joined Studio." in page
    assert '<span class="badge badge-count">1</span>' in page


def test_the_email_follows_the_per_kind_preference(creator, django_capture_on_commit_callbacks):
    # member_joined is off by default, role_changed on by default.
    with django_capture_on_commit_callbacks(execute=True):
        send(creator)
        send(creator, kind=NotificationKind.ROLE_CHANGED, params={"team": "Studio", "role": "editor"})
    assert [m.subject for m in mail.outbox] == ["Your role in Studio is now Editor."]
    assert mail.outbox[0].to == ["creator@example.com"]
    assert "http://127.0.0.1:8000/teams/" in mail.outbox[0].body

    services.notification_preferences_save(user=creator, email_kinds={NotificationKind.MEMBER_JOINED})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send(creator)
        send(creator, kind=NotificationKind.ROLE_CHANGED, params={"team": "Studio", "role": "editor"})
    assert [m.subject for m in mail.outbox] == ["Mia joined Studio."]
    # Both still reached the inbox.
    assert Notification.objects.filter(recipient=creator).count() == 4


def test_the_email_is_written_in_the_recipient_language(django_capture_on_commit_callbacks):
    person = UserFactory(language="de")
    with django_capture_on_commit_callbacks(execute=True):
        send(person, kind=NotificationKind.ROLE_CHANGED, params={"team": "Studio", "role": "editor"})
    with translation.override("de"):
        expected = notification_text(kind="role_changed", params={"team": "Studio", "role": "editor"})
    assert mail.outbox[0].subject == expected


def test_the_settings_page_saves_the_choices(creator, creator_client):
    page = creator_client.get(reverse("notification_settings")).content.decode()
    assert "New team members" in page
    assert "Team invitations" not in page.split("<form")[1].split("</form>")[0].split("help")[0]
    creator_client.post(reverse("notification_settings"), {"email_kinds": ["member_joined"]})
    prefs = dict(NotificationPreference.objects.filter(user=creator).values_list("kind", "email"))
    assert prefs["member_joined"] is True
    assert prefs["mention"] is False
    assert services.notification_email_kinds_for(user=creator) == {"member_joined"}


def test_unknown_kinds_are_refused_loudly(creator):
    with pytest.raises(ValueError, match="Unknown notification kind"):
        services.notification_send(recipient=creator, kind="nonsense")


def test_text_is_rendered_in_the_reader_language_and_survives_missing_params():
    assert notification_text(kind="member_joined", params={"team": "Studio"}) == "… joined Studio."
    assert (
        notification_text(kind="role_changed", params={"team": "S", "role": "owner"}) == "Your role in S is now Owner."
    )


def test_marking_one_read_with_htmx_returns_the_row(creator, creator_client):
    notification = send(creator)
    response = creator_client.post(reverse("notification_mark_read", args=[notification.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert '<li class="">' in response.content.decode()
    # The bell in the nav is refreshed out-of-band: nothing unread any more.
    assert 'id="notification-bell" class="bell" hx-swap-oob="true"' in response.content.decode()
    assert "badge-count" not in response.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_marking_all_read_and_the_unread_filter(creator, creator_client):
    for _ in range(3):
        send(creator)
    assert "Mark as read" in creator_client.get(reverse("notification_list") + "?unread=1").content.decode()
    response = creator_client.post(reverse("notification_mark_all_read"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert not Notification.objects.filter(recipient=creator, read_at=None).exists()
    assert "No unread notifications." in creator_client.get(reverse("notification_list") + "?unread=1").content.decode()


def test_opening_marks_read_and_follows_only_local_links(creator, creator_client):
    notification = send(creator)
    response = creator_client.get(reverse("notification_open", args=[notification.pk]))
    assert response["Location"] == "/teams/"
    notification.refresh_from_db()
    assert notification.read_at is not None
    evil = NotificationFactory(recipient=creator, target_url="https://evil.example/")
    assert creator_client.get(reverse("notification_open", args=[evil.pk]))["Location"] == reverse("notification_list")


def test_someone_elses_notification_is_not_found(creator, outsider, client_for):
    notification = send(creator)
    client = client_for(outsider)
    assert client.post(reverse("notification_mark_read", args=[notification.pk])).status_code == 404
    assert client.get(reverse("notification_open", args=[notification.pk])).status_code == 404
    assert client.post(reverse("api-notification-read", args=[notification.pk])).status_code == 404


def test_the_inbox_has_an_empty_state(creator_client):
    assert "No notifications yet." in creator_client.get(reverse("notification_list")).content.decode()


def test_notifications_over_the_api(creator, client_for):
    first = send(creator)
    send(creator)
    client = client_for(creator)
    assert client.get(reverse("api-notification-unread-count")).json() == {"count": 2}
    rows = client.get(reverse("api-notification-list")).json()["results"]
    assert rows[0]["text"] == "Mia joined Studio."
    assert rows[0]["is_read"] is False
    read = client.post(reverse("api-notification-read", args=[first.pk])).json()
    assert read["is_read"] is True
    assert len(client.get(reverse("api-notification-list") + "?unread=true").json()["results"]) == 1
    assert client.post(reverse("api-notification-read-all")).json() == {"count": 1}
    assert client.get(reverse("api-notification-unread-count")).json() == {"count": 0}
    # The text follows the language of the request.
    german = client.get(reverse("api-notification-list"), HTTP_ACCEPT_LANGUAGE="de").json()["results"][0]["text"]
    with translation.override("de"):
        assert german == notification_text(kind="member_joined", params={"member": "Mia", "team": "Studio"})


def test_experiment_winners_are_offered_to_staff_only(creator_client, staff_client):
    assert "Experiment winners" not in creator_client.get(reverse("notification_settings")).content.decode()
    assert "Experiment winners" in staff_client.get(reverse("notification_settings")).content.decode()


def test_the_bell_counts_up_to_99_and_shows_99_plus_beyond(creator, creator_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from teams.selectors import BELL_CAP

    Notification.objects.bulk_create(
        Notification(recipient=creator, kind="member_joined", params={"member": "Mia", "team": "Studio"})
        for _ in range(BELL_CAP)
    )
    page = creator_client.get(reverse("dashboard")).content.decode()
    assert '<span class="badge badge-count">99</span>' in page and "99+" not in page
    NotificationFactory(recipient=creator)
    with CaptureQueriesContext(connection) as captured:
        page = creator_client.get(reverse("dashboard")).content.decode()
    assert '<span class="badge badge-count">99+</span>' in page
    assert 'aria-label="More than 99 unread notifications"' in page
    # The count reads no further than the cap (a LIMIT), however many are unread.
    (counted,) = [query["sql"] for query in captured.captured_queries if '"teams_notification"' in query["sql"]]
    assert "LIMIT 100" in counted
