"""Page views are recorded for every HTML page a person gets (buffered, then written in bulk), and
an export start is a product event like the others."""

import pytest
from django.urls import reverse

from insights.event_names import EventName
from insights.models import Event
from insights.page_views import page_views_flush
from tests.videos.exports import ready_video
from videos.services.exports import export_start

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}


def page_views():
    return list(Event.objects.filter(name=EventName.PAGE_VIEWED).order_by("id"))


def test_page_views_wait_in_the_buffer_then_are_written_in_bulk(client, creator_client, creator):
    client.get(reverse("landing"), **BROWSER)
    creator_client.get(reverse("dashboard"), **BROWSER)
    assert page_views() == []  # the request only buffered them

    assert page_views_flush() == 2

    anonymous, signed_in = page_views()
    assert (anonymous.actor, anonymous.payload["path"]) == (None, "/")
    assert (signed_in.actor, signed_in.payload["path"]) == (creator, "/dashboard/")
    assert anonymous.payload["visitor"] and not anonymous.is_public
    assert page_views_flush() == 0  # each view is written once


def test_an_anonymous_visitor_keeps_one_id_across_pages(client):
    first = client.get(reverse("landing"), **BROWSER)
    assert first.cookies["vc_visitor"].value
    client.get(reverse("pricing"), **BROWSER)
    page_views_flush()

    assert len({event.payload["visitor"] for event in page_views()}) == 1


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/healthz", BROWSER),
        ("/api/schema/", BROWSER),
        ("/", {"HTTP_USER_AGENT": "Googlebot/2.1"}),
        ("/", {}),  # no user agent: a script
        ("/", {**BROWSER, "HTTP_HX_REQUEST": "true"}),  # an htmx fragment of a page already counted
        ("/no-such-page/", BROWSER),
    ],
)
def test_machines_fragments_errors_and_non_pages_are_not_page_views(client, path, headers):
    client.get(path, **headers)
    page_views_flush()

    assert page_views() == []


def test_the_request_that_fills_the_buffer_flushes_it(client, settings):
    settings.PAGE_VIEWS_FLUSH_AT = 3
    for _ in range(3):
        client.get(reverse("landing"), **BROWSER)

    assert len(page_views()) == 3


def test_starting_an_export_is_recorded(creator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    video, _content = ready_video(owner=creator)

    job = export_start(user=creator, video_ids=[video.pk])

    event = Event.objects.get(name=EventName.EXPORT_STARTED)
    assert (event.actor, event.subject_id, event.payload) == (creator, str(job.pk), {"videos": 1})
    assert not event.is_public


def test_bulk_recording_is_for_internal_events_only():
    from django.utils import timezone

    from insights.events import record_events_bulk

    with pytest.raises(ValueError, match="public"):
        record_events_bulk(name=EventName.VIDEO_CREATED, rows=[(None, {}, timezone.now())])
    with pytest.raises(ValueError, match="Unknown"):
        record_events_bulk(name="made.up", rows=[(None, {}, timezone.now())])
    assert not Event.objects.exists()
