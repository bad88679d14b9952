"""Publishing pages, API, ops console, accounts page, access rules and the demo data."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from config.errors import NotFound, PermissionDenied
from insights.models import Event
from teams.models import Notification
from teams.permissions import Action
from tests.videos.platform_servers import Fault
from videos.permissions import publication_get_for_user
from videos.platforms.accounts import RECONNECT_FLAG
from videos.publishing_models import Publication, PublicationTarget
from videos.services.publishing import publication_schedule

pytestmark = pytest.mark.django_db
TStatus = PublicationTarget.Status


@pytest.fixture
def scheduled(creator, platforms, link_account, publishable_video):
    """A publication of the creator's team video on YouTube and X, on 1 May 2027 at 09:00 in Berlin."""
    link_account(creator, "youtube")
    link_account(creator, "x")
    return publication_schedule(
        user=creator,
        video=publishable_video(creator),
        local_time=datetime(2027, 5, 1, 9, 0),
        time_zone="Europe/Berlin",
        targets=[{"platform": "youtube", "caption": "hi"}, {"platform": "x", "caption": "hi"}],
    )


def _finish(publication, x_status=TStatus.UNKNOWN):
    publication.targets.filter(platform="youtube").update(status=TStatus.PUBLISHED, remote_id="yt1")
    publication.targets.filter(platform="x").update(status=x_status, error_message="X did not answer.")
    Publication.objects.filter(pk=publication.pk).update(status=Publication.Status.PARTLY_PUBLISHED)


# --- pages ---------------------------------------------------------------------------------


def test_schedule_a_video_from_its_page(creator_client, creator, platforms, link_account, publishable_video):
    link_account(creator, "tiktok")
    video = publishable_video(creator)
    url = reverse("videos:publication_schedule", args=[video.pk])
    page = creator_client.get(url)
    assert page.status_code == 200
    assert 'value="UTC" selected' in page.content.decode()  # the person's own zone by default

    response = creator_client.post(
        url,
        {
            "local_time": "2027-03-28T09:00",
            "time_zone": "America/New_York",
            "tiktok_on": "on",
            "tiktok_caption": "Quick tip",
            "tiktok_privacy": "private",
            "tiktok_tags": "tips, #howto",
        },
    )

    publication = Publication.objects.get()
    assert response.status_code == 302 and response.url == reverse("videos:publication_detail", args=[publication.pk])
    assert publication.scheduled_at == datetime(2027, 3, 28, 13, 0, tzinfo=UTC)
    target = publication.targets.get()
    assert (target.platform, target.caption, target.privacy, target.tags) == (
        "tiktok",
        "Quick tip",
        "private",
        ["tips", "howto"],
    )


def test_a_nonexistent_local_time_is_shown_on_the_form(
    creator_client, creator, platforms, link_account, publishable_video
):
    link_account(creator, "youtube")
    video = publishable_video(creator)
    response = creator_client.post(
        reverse("videos:publication_schedule", args=[video.pk]),
        {
            "local_time": "2027-03-28T02:30",
            "time_zone": "Europe/Berlin",
            "youtube_on": "on",
            "youtube_privacy": "public",
        },
    )
    assert response.status_code == 200
    assert "does not exist in Europe/Berlin" in response.content.decode()
    assert not Publication.objects.exists()


def test_list_and_calendar_with_filters_at_a_fixed_query_cost(creator_client, scheduled, django_assert_max_num_queries):
    for _ in range(5):
        Publication.objects.create(video=scheduled.video, owner=scheduled.owner, scheduled_at=scheduled.scheduled_at)
    with django_assert_max_num_queries(12):
        upcoming = creator_client.get(reverse("videos:publications"), {"when": "upcoming", "platform": "youtube"})
    assert upcoming.status_code == 200
    assert f'data-publication="{scheduled.pk}"' in upcoming.content.decode()
    assert upcoming.content.decode().count("data-publication=") == 1  # only the one on YouTube
    past = creator_client.get(reverse("videos:publications"), {"when": "past"}).content.decode()
    assert "data-publication=" not in past
    with django_assert_max_num_queries(12):
        calendar = creator_client.get(reverse("videos:publication_calendar"), {"year": 2027, "month": 5})
    assert reverse("videos:publication_detail", args=[scheduled.pk]) in calendar.content.decode()


def test_cancel_from_the_page_and_strangers_get_404(creator_client, outsider_client, scheduled):
    detail = reverse("videos:publication_detail", args=[scheduled.pk])
    assert outsider_client.get(detail).status_code == 404
    assert outsider_client.post(reverse("videos:publication_cancel", args=[scheduled.pk])).status_code == 404

    creator_client.post(reverse("videos:publication_cancel", args=[scheduled.pk]))

    scheduled.refresh_from_db()
    assert scheduled.status == Publication.Status.CANCELLED
    assert "Cancelled" in creator_client.get(detail).content.decode()


def test_retry_from_the_page_needs_the_confirmation_for_an_unknown_outcome(
    creator_client, scheduled, platforms, django_capture_on_commit_callbacks
):
    _finish(scheduled)
    url = reverse("videos:publication_retry", args=[scheduled.pk])
    refused = creator_client.post(url)
    assert refused.status_code == 400
    assert "retrying may post it twice" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        creator_client.post(url, {"confirm_unknown": "1"})
    assert scheduled.targets.get(platform="x").status == TStatus.PUBLISHED


def test_confirm_an_unknown_outcome_from_the_page(creator_client, scheduled):
    _finish(scheduled)
    target = scheduled.targets.get(platform="x")
    creator_client.post(
        reverse("videos:publication_target_confirm", args=[scheduled.pk, target.pk]),
        {"public_url": "https://x.com/c/status/9"},
    )
    target.refresh_from_db()
    assert (target.status, target.public_url) == (TStatus.PUBLISHED, "https://x.com/c/status/9")


# --- accounts ------------------------------------------------------------------------------


def test_accounts_page_without_credentials_says_not_configured(creator_client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        p: {k: v for k, v in c.items() if k != "APP"} for p, c in settings.SOCIALACCOUNT_PROVIDERS.items()
    }
    page = creator_client.get(reverse("videos:publishing_accounts"))
    assert page.status_code == 200
    assert page.content.decode().count("Not configured") == 5


def test_accounts_page_shows_status_never_tokens_and_unlinks(
    creator, creator_client, outsider_client, platforms, link_account
):
    youtube = link_account(creator, "youtube", token="secret-access-token")
    x = link_account(creator, "x")
    x.extra_data = {RECONNECT_FLAG: True}
    x.save()

    page = creator_client.get(reverse("videos:publishing_accounts")).content.decode()

    assert "Working" in page and "Needs reconnecting" in page and page.count("Not linked") == 3
    assert "secret-access-token" not in page and "sealed:" not in page
    assert outsider_client.post(reverse("videos:publishing_account_unlink", args=[youtube.pk])).status_code == 404
    creator_client.post(reverse("videos:publishing_account_unlink", args=[youtube.pk]))
    assert not creator.socialaccount_set.filter(pk=youtube.pk).exists()


def test_social_accounts_only_connect_to_a_signed_in_person(creator, rf):
    from allauth.core.exceptions import ImmediateHttpResponse
    from django.contrib.auth.models import AnonymousUser

    from videos.platforms.accounts import SocialAccountAdapter

    adapter, request = SocialAccountAdapter(), rf.get("/accounts/google/login/callback/")
    request.user = AnonymousUser()
    with pytest.raises(ImmediateHttpResponse):  # back from the platform while signed out: to the login page
        adapter.pre_social_login(request, sociallogin=None)
    assert adapter.is_open_for_signup(request, sociallogin=None) is False
    request.user = creator
    adapter.pre_social_login(request, sociallogin=None)  # connecting goes ahead


# --- API -----------------------------------------------------------------------------------


def test_api_schedules_lists_and_changes_publications(
    creator, creator_api, outsider_api, platforms, link_account, publishable_video
):
    link_account(creator, "facebook")
    video = publishable_video(creator)
    created = creator_api.post(
        "/api/v1/publications/",
        {
            "video": video.pk,
            "local_time": "2027-11-07T01:30",
            "time_zone": "America/New_York",
            "targets": [{"platform": "facebook", "caption": "Hi"}],
        },
        format="json",
    )
    assert created.status_code == 400 and "happens twice" in created.json()["scheduled_at"][0]
    created = creator_api.post(
        "/api/v1/publications/",
        {
            "video": video.pk,
            "local_time": "2027-11-07T01:30",
            "time_zone": "America/New_York",
            "ambiguous": "later",
            "targets": [{"platform": "facebook", "caption": "Hi", "tags": ["a"]}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["scheduled_at"] == "2027-11-07T06:30:00Z"
    assert body["targets"][0]["platform"] == "facebook"
    pk = body["id"]

    assert [
        p["id"]
        for p in creator_api.get("/api/v1/publications/", {"when": "upcoming", "platform": "facebook"}).json()[
            "results"
        ]
    ] == [pk]
    assert creator_api.get("/api/v1/publications/", {"platform": "x"}).json()["results"] == []
    assert outsider_api.get(f"/api/v1/publications/{pk}/").status_code == 404
    assert outsider_api.get("/api/v1/publications/").json()["results"] == []

    moved = creator_api.post(
        f"/api/v1/publications/{pk}/reschedule/",
        {"local_time": "2027-12-01T10:00", "time_zone": "Asia/Tokyo"},
        format="json",
    )
    assert moved.status_code == 200 and moved.json()["scheduled_at"] == "2027-12-01T01:00:00Z"
    cancelled = creator_api.post(f"/api/v1/publications/{pk}/cancel/")
    assert cancelled.json()["status"] == "cancelled"
    assert creator_api.post(f"/api/v1/publications/{pk}/cancel/").status_code == 400


def test_api_retry_refuses_an_unknown_outcome_without_confirmation(
    creator_api, scheduled, platforms, django_capture_on_commit_callbacks
):
    _finish(scheduled)
    refused = creator_api.post(f"/api/v1/publications/{scheduled.pk}/retry/", {}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "unknown_needs_confirmation"
    with django_capture_on_commit_callbacks(execute=True):
        retried = creator_api.post(
            f"/api/v1/publications/{scheduled.pk}/retry/", {"confirm_unknown": True}, format="json"
        )
    assert retried.status_code == 200


# --- access --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "view", "schedule"),
    [
        ("creator", True, True),
        ("team_admin", True, True),
        ("editor", True, True),
        ("viewer", True, False),
        ("outsider", False, False),
    ],
)
def test_who_may_see_and_change_a_team_publication(
    request, creator, team, platforms, link_account, publishable_video, person, view, schedule
):
    link_account(creator, "youtube")
    publication = publication_schedule(
        user=creator,
        video=publishable_video(creator, team=team),
        local_time=datetime(2027, 5, 1, 9, 0),
        time_zone="UTC",
        targets=[{"platform": "youtube"}],
    )
    user = request.getfixturevalue(person)
    for action, allowed in ((Action.VIEW, view), (Action.SCHEDULE, schedule)):
        if allowed:
            assert publication_get_for_user(user=user, publication_id=publication.pk, action=action) == publication
        else:
            with pytest.raises(NotFound if not view else PermissionDenied):
                publication_get_for_user(user=user, publication_id=publication.pk, action=action)


# --- completion, ops console, demo ----------------------------------------------------------


def test_completion_records_the_event_and_tells_the_person(
    creator, platforms, link_account, publishable_video, django_capture_on_commit_callbacks
):
    link_account(creator, "youtube")
    link_account(creator, "tiktok")
    platforms["tiktok"].faults.append(Fault("POST", "/video/init/", status=400))
    with django_capture_on_commit_callbacks(execute=True):
        publication_schedule(
            user=creator, video=publishable_video(creator), local_time=None, time_zone="UTC",
            targets=[{"platform": "youtube"}, {"platform": "tiktok"}],
        )  # fmt: skip
    event = Event.objects.get(name="video.published")
    assert [r["platform"] for r in event.payload["results"]] == ["tiktok", "youtube"]
    notification = Notification.objects.get(recipient=creator)
    assert notification.params["result"] == "partly_published"
    message = mail.outbox[-1]
    assert "Partly published" in message.subject
    assert "TikTok: Failed" in message.body and "YouTube: Published" in message.body


def test_staff_filter_and_retry_with_confirmation_in_the_console(
    staff_client, scheduled, platforms, django_capture_on_commit_callbacks
):
    _finish(scheduled)
    changelist = reverse("admin:videos_publication_changelist")
    page = staff_client.get(changelist, {"platform": "x", "status": "partly_published"}).content.decode()
    assert "YouTube: Published" in page and "X: Unknown" in page
    assert staff_client.get(changelist, {"platform": "tiktok"}).content.decode().count("YouTube: Published") == 0

    confirm = staff_client.post(changelist, {"action": "retry", "_selected_action": [scheduled.pk]})
    assert confirm.status_code == 200 and "may post the video a second time" in confirm.content.decode()
    staff_client.post(
        changelist,
        {"action": "retry", "_selected_action": [scheduled.pk], "confirm_step": "1", "confirm_unknown": "no"},
    )
    assert scheduled.targets.get(platform="x").status == TStatus.UNKNOWN
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            changelist,
            {"action": "retry", "_selected_action": [scheduled.pk], "confirm_step": "1", "confirm_unknown": "yes"},
        )
    assert scheduled.targets.get(platform="x").status == TStatus.PUBLISHED
    assert staff_client.get(reverse("admin:videos_publication_change", args=[scheduled.pk])).status_code == 200


def test_the_demo_has_past_and_upcoming_publications_once(django_capture_on_commit_callbacks):
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("load_demo", password="demo-password-123", stdout=io.StringIO())
    publications = Publication.objects.filter(owner__email="demo@videocreator.local")
    assert publications.count() == 3
    assert publications.filter(status=Publication.Status.PARTLY_PUBLISHED, targets__status=TStatus.FAILED).exists()
    assert (
        publications.filter(
            status=Publication.Status.SCHEDULED, scheduled_at__gt=timezone.now() + timedelta(days=1)
        ).count()
        == 2
    )
