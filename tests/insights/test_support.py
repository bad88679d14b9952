"""The support inbox: sending a request from any page (screenshot through the one media check),
one's own requests only, staff replies e-mailed in the person's language, categories counted."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from config.errors import DomainError, RateLimited
from insights.models import Event, SupportMessage, SupportRequest
from insights.services.support import (
    support_reply_from_staff,
    support_reply_from_user,
    support_request_create,
    support_request_triage,
)
from insights.support_selectors import support_categories_top
from tests.videos.media_tools import make_png

pytestmark = pytest.mark.django_db

MESSAGE = "The export of my launch video stops at 90 %."


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _request(user, **overrides) -> SupportRequest:
    fields = {"category": "rendering", "subject": "Export stuck", "message": MESSAGE, **overrides}
    return support_request_create(user=user, **fields)


def test_every_page_links_to_the_support_form_with_where_it_came_from(creator_client):
    html = creator_client.get(reverse("videos:list")).content.decode()
    assert f'href="{reverse("support-new")}?from=/videos/"' in html
    form = creator_client.get(reverse("support-new"), {"from": "/videos/"}).content.decode()
    assert 'name="page_url" value="/videos/"' in form


def test_a_request_with_a_screenshot_is_stored_under_a_name_of_ours(creator_client, creator, media_root, tmp_path):
    png = make_png(tmp_path / "shot.png")
    answer = creator_client.post(
        reverse("support-new"),
        {
            "category": "bug",
            "subject": "Button does nothing",
            "message": MESSAGE,
            "page_url": "/videos/",
            "screenshot": SimpleUploadedFile("../../evil.html", png.read_bytes(), content_type="text/html"),
        },
    )
    request = SupportRequest.objects.get(user=creator)
    assert answer.status_code == 302 and answer["Location"] == reverse("support-detail", args=[request.pk])
    assert request.screenshot.name.startswith(f"support/user-{creator.pk}/") and request.screenshot.name.endswith(
        ".png"
    )
    assert (media_root / request.screenshot.name).read_bytes() == png.read_bytes()
    assert (request.category, request.status, request.page_url) == ("bug", "open", "/videos/")
    assert list(request.messages.values_list("body", flat=True)) == [MESSAGE]
    assert Event.objects.filter(name="support.requested", actor=creator).count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("shot.png", b"<html><script>alert(1)</script></html>"),
        ("shot.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("shot.png", b"#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n"),
    ],
)
def test_a_screenshot_that_is_not_an_image_is_refused_and_nothing_is_stored(
    creator_client, creator, media_root, name, content
):
    page = creator_client.post(
        reverse("support-new"),
        {"category": "bug", "subject": "Look", "message": MESSAGE, "screenshot": SimpleUploadedFile(name, content)},
    )
    assert page.status_code == 200
    assert "This file is not an image we accept" in page.content.decode()
    assert not SupportRequest.objects.exists()
    assert not (media_root / "support").exists()


def test_a_screenshot_over_the_size_limit_is_dropped_while_it_arrives(creator_client, media_root, monkeypatch):
    monkeypatch.setattr("insights.services.support.SCREENSHOT_MAX_MB", 1)
    monkeypatch.setattr("insights.support_views.SCREENSHOT_MAX_MB", 1)
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (1024 * 1024 + 10))
    page = creator_client.post(
        reverse("support-new"), {"category": "bug", "subject": "Look", "message": MESSAGE, "screenshot": big}
    )
    assert page.status_code == 200
    assert "A screenshot can be at most 1 MB." in page.content.decode()
    assert not SupportRequest.objects.exists()


def test_requests_are_checked_and_rate_limited(creator, settings):
    with pytest.raises(DomainError) as short:
        _request(creator, message="help")
    assert short.value.field == "message"
    with pytest.raises(DomainError):
        _request(creator, category="nonsense")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"support": "2/hour"}}
    _request(creator)
    _request(creator)
    with pytest.raises(RateLimited):
        _request(creator)
    assert SupportRequest.objects.count() == 2


def test_my_requests_lists_only_mine_and_anothers_request_is_a_404(creator, outsider, client_for):
    mine = _request(creator, subject="Mine")
    theirs = _request(outsider, subject="Theirs")
    client = client_for(creator)
    listing = client.get(reverse("support-list")).content.decode()
    assert "Mine" in listing and "Theirs" not in listing
    assert client.get(reverse("support-detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("support-detail", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("support-detail", args=[theirs.pk]), {"body": "Let me in please"}).status_code == 404
    assert client.get(reverse("support-detail", args=[999_999])).status_code == 404
    assert SupportMessage.objects.filter(request=theirs).count() == 1


def test_my_requests_costs_a_fixed_number_of_queries(creator, creator_client, django_assert_max_num_queries):
    for n in range(3):
        _request(creator, subject=f"Request {n}")
    with django_assert_max_num_queries(8) as few:
        assert creator_client.get(reverse("support-list")).status_code == 200
    for n in range(3, 8):
        SupportRequest.objects.create(user=creator, category="other", subject=f"Request {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert creator_client.get(reverse("support-list")).status_code == 200


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_staff_reply_is_emailed_in_the_persons_language_and_kept_on_the_thread(
    creator, staff, client_for, language, django_capture_on_commit_callbacks
):
    creator.language = language
    creator.save(update_fields=["language"])
    request = _request(creator)
    with django_capture_on_commit_callbacks(execute=True):
        support_reply_from_staff(request=request, actor=staff, body="Please start the export again.")
    [message] = mail.outbox
    assert message.to == [creator.email]
    assert "Please start the export again." in message.body
    assert reverse("support-detail", args=[request.pk]) in message.body
    [(html, _mimetype)] = message.alternatives
    assert f'<html lang="{language}"' in html
    request.refresh_from_db()
    assert (request.status, request.assignee) == ("waiting", staff)
    thread = client_for(creator).get(reverse("support-detail", args=[request.pk])).content.decode()
    assert "Please start the export again." in thread and MESSAGE in thread


def test_the_person_replies_on_their_thread_and_it_opens_again(creator, staff, client_for):
    request = _request(creator)
    support_reply_from_staff(request=request, actor=staff, body="Could you send the video id?")
    client_for(creator).post(reverse("support-detail", args=[request.pk]), {"body": "It is video 42, thanks!"})
    request.refresh_from_db()
    assert request.status == "open"
    assert list(request.messages.values_list("from_staff", flat=True)) == [False, True, False]


def test_only_staff_answer_and_triage(creator, outsider, staff):
    request = _request(creator)
    with pytest.raises(DomainError):
        support_reply_from_staff(request=request, actor=creator, body="I am not staff at all")
    with pytest.raises(DomainError):
        support_request_triage(request=request, actor=outsider, status="resolved", assignee=None)
    with pytest.raises(DomainError):
        support_request_triage(request=request, actor=staff, status="resolved", assignee=creator)
    with pytest.raises(DomainError):
        support_reply_from_user(request=request, user=outsider, body="Not my request at all")
    support_request_triage(request=request, actor=staff, status="resolved", assignee=staff)
    request.refresh_from_db()
    assert (request.status, request.assignee) == ("resolved", staff)


def test_the_most_frequent_categories_are_counted_in_a_window(creator, outsider):
    now = timezone.now()
    for category, count in (("billing", 3), ("bug", 2), ("account", 1)):
        for _n in range(count):
            SupportRequest.objects.create(user=creator, category=category, subject="x", created_at=now)
    SupportRequest.objects.create(user=outsider, category="other", subject="old", created_at=now - timedelta(days=9))
    top = support_categories_top(since=now - timedelta(days=7), until=now + timedelta(seconds=1), limit=2)
    assert top == [("Billing and plans", 3), ("Something is broken", 2)]
    everything = support_categories_top(since=now - timedelta(days=30), until=now + timedelta(seconds=1))
    assert [label for label, _count in everything] == [
        "Billing and plans", "Something is broken", "Account and sign-in", "Something else",
    ]  # fmt: skip


def test_deleting_an_account_removes_its_requests_and_screenshots_on_commit(
    creator, media_root, tmp_path, django_capture_on_commit_callbacks
):
    from teams.services.accounts import user_destroy

    shot = SimpleUploadedFile("s.png", make_png(tmp_path / "s.png").read_bytes())
    request = _request(creator, screenshot=shot)
    stored = media_root / request.screenshot.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        user_destroy(user=creator, actor=None)
    assert not SupportRequest.objects.filter(pk=request.pk).exists()
    assert not stored.exists()
