"""The ops console edits people's profiles and notification choices through the account services."""

import pytest
from django.urls import reverse

from insights.events import EventName
from insights.models import Event
from teams.models import NotificationPreference
from teams.notification_kinds import NotificationKind

pytestmark = pytest.mark.django_db


def user_form(user, **fields) -> dict:
    """The POST of the user change form with the user's current values, overridden by `fields`."""
    data = {
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "time_zone": user.time_zone,
        "is_active": "on" if user.is_active else "",
        **fields,
    }
    return {key: value for key, value in data.items() if value != ""}


def test_a_profile_edited_in_the_console_is_recorded_with_staff_as_the_actor(staff_client, staff, creator):
    response = staff_client.post(
        reverse("admin:teams_user_change", args=[creator.pk]),
        user_form(creator, display_name="Cora Renamed", time_zone="Asia/Tokyo"),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    creator.refresh_from_db()
    assert (creator.display_name, creator.time_zone) == ("Cora Renamed", "Asia/Tokyo")
    event = Event.objects.get(name=EventName.USER_PROFILE_UPDATED)
    assert event.actor == staff and event.subject_id == str(creator.pk)
    assert sorted(event.payload["fields"]) == ["display_name", "time_zone"]


def test_django_s_own_fields_stay_django_s_and_record_no_profile_event(staff_client, creator):
    response = staff_client.post(
        reverse("admin:teams_user_change", args=[creator.pk]), user_form(creator, is_staff="on")
    )

    assert response.status_code == 302
    creator.refresh_from_db()
    assert creator.is_staff
    assert not Event.objects.filter(name=EventName.USER_PROFILE_UPDATED).exists()


def test_the_console_sets_a_notification_choice_through_the_service(staff_client, creator):
    url = reverse("admin:teams_notificationpreference_add")
    staff_client.post(url, {"user": creator.pk, "kind": NotificationKind.MENTION, "email": ""})
    preference = NotificationPreference.objects.get(user=creator, kind=NotificationKind.MENTION)
    assert preference.email is False

    staff_client.post(reverse("admin:teams_notificationpreference_change", args=[preference.pk]), {"email": "on"})
    preference.refresh_from_db()
    assert preference.email is True


@pytest.mark.parametrize("kind", [NotificationKind.INVITATION, NotificationKind.EXPERIMENT_WINNER, "made-up"])
def test_the_console_cannot_save_a_choice_the_person_may_not_make(staff_client, creator, kind):
    # Invitations always come by e-mail; experiment winners are for staff; unknown kinds mean nothing.
    response = staff_client.post(
        reverse("admin:teams_notificationpreference_add"),
        {"user": creator.pk, "kind": kind, "email": ""},
        follow=True,
    )

    assert "is not a notification this person can choose to receive by e-mail" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=creator).exists()
