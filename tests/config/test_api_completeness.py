"""Every action a creator takes in the pages has its API twin (the ones the audit for #16 added)."""

import pytest

from teams.models import Membership, NotificationPreference
from teams.notification_kinds import NotificationKind
from tests.teams.factories import TeamFactory, make_invitation
from tests.videos.factories import VideoFactory, VideoVersionFactory
from videos.models import VideoVersion

pytestmark = pytest.mark.django_db


def test_a_failed_render_is_tried_again(creator, creator_api, outsider_api, django_capture_on_commit_callbacks):
    video = VideoFactory(owner=creator)
    VideoVersionFactory(video=video, number=1, status=VideoVersion.Status.FAILED, render_spec={"scenes": []})
    assert outsider_api.post(f"/api/v1/videos/{video.pk}/retry/").status_code == 404
    with django_capture_on_commit_callbacks(execute=False):
        answer = creator_api.post(f"/api/v1/videos/{video.pk}/retry/")
    assert answer.status_code == 202, answer.json()
    assert answer.json()["number"] == 2
    # Only a failed render can be retried.
    VideoVersion.objects.filter(video=video).update(status=VideoVersion.Status.READY)
    assert creator_api.post(f"/api/v1/videos/{video.pk}/retry/").status_code == 400


def test_notification_email_preferences(creator, creator_api):
    answer = creator_api.get("/api/v1/notifications/preferences/").json()
    assert NotificationKind.MENTION in answer["available_kinds"]
    saved = creator_api.put(
        "/api/v1/notifications/preferences/", {"email_kinds": [NotificationKind.MENTION]}, format="json"
    )
    assert saved.status_code == 200
    assert saved.json()["email_kinds"] == [NotificationKind.MENTION]
    assert NotificationPreference.objects.filter(user=creator, kind=NotificationKind.ROLE_CHANGED, email=False).exists()
    refused = creator_api.put("/api/v1/notifications/preferences/", {"email_kinds": ["nonsense"]}, format="json")
    assert refused.status_code == 400


def test_invitations_addressed_to_me_are_listed_and_accepted(creator, outsider, outsider_api, creator_api):
    team = TeamFactory(created_by=creator)
    Membership.objects.create(team=team, user=creator, role=Membership.Role.OWNER)
    invitation, _token = make_invitation(team=team, email=outsider.email)
    mine = outsider_api.get("/api/v1/invitations/mine/").json()["results"]
    assert [row["id"] for row in mine] == [invitation.pk]
    # Someone else cannot accept it.
    assert creator_api.post(f"/api/v1/invitations/mine/{invitation.pk}/accept/").status_code == 404
    joined = outsider_api.post(f"/api/v1/invitations/mine/{invitation.pk}/accept/")
    assert joined.status_code == 201
    assert joined.json()["slug"] == team.slug
    assert Membership.objects.filter(team=team, user=outsider).exists()


def test_the_billing_portal_link(creator_api):
    # The built-in manual provider has no portal: billing is managed on our own page.
    answer = creator_api.post("/api/v1/billing/portal/")
    assert answer.status_code == 200
    assert answer.json() == {"url": None}


def test_the_schema_documents_error_answers_examples_and_webhook_event_types(client):
    import json

    schema = json.loads(client.get("/api/schema/?format=json").content)
    create = schema["paths"]["/api/v1/webhooks/endpoints/"]["post"]
    assert {"201", "400", "401", "403", "404", "409", "422", "429"} <= set(create["responses"])
    assert create["requestBody"]["content"]["application/json"]["examples"]
    assert "examples" in create["responses"]["201"]["content"]["application/json"]
    refusal = create["responses"]["429"]["content"]["application/json"]["schema"]
    assert {branch["title"] for branch in refusal["anyOf"]} == {"Error", "FieldErrors"}
    # The event types an endpoint may choose are the schema's enum: extending the list extends it.
    events = json.dumps(schema["components"]["schemas"])
    for name in ("video.created", "video.rendered", "export.ready", "payment.failed"):
        assert name in events
    for path in ("/api/v1/videos/{id}/retry/", "/api/v1/notifications/preferences/", "/api/v1/billing/portal/"):
        assert path in schema["paths"]
