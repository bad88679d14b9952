"""The survey and the support inbox over the API: the pages' rules, JSON answers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from insights.models import NpsResponse, SupportRequest
from insights.services.support import support_request_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_person_due_answers_the_survey_once(api_client_for):
    person = UserFactory(date_joined=timezone.now() - timedelta(days=40))
    api = api_client_for(person)
    assert api.get("/api/v1/nps/survey/").json() == {"due": True}
    answer = api.post("/api/v1/nps/answers/", {"score": 6, "feedback": "Too pricey"}, format="json")
    assert answer.status_code == 201, answer.json()
    assert (answer.json()["category"], answer.json()["channel"]) == ("detractor", "in_app")
    again = api.post("/api/v1/nps/answers/", {"score": 9}, format="json")
    assert again.status_code == 400 and again.json()["code"] == "already_answered"
    assert api.get("/api/v1/nps/survey/").json() == {"due": False}
    assert api.post("/api/v1/nps/answers/", {"score": 11}, format="json").status_code == 400
    assert NpsResponse.objects.filter(user=person).count() == 1


def test_dismissing_over_the_api(api_client_for, creator_api):
    person = UserFactory(date_joined=timezone.now() - timedelta(days=40))
    api = api_client_for(person)
    assert api.post("/api/v1/nps/dismiss/").json() == {"dismissed": True}
    assert api.post("/api/v1/nps/dismiss/").json() == {"dismissed": False}
    assert creator_api.post("/api/v1/nps/dismiss/").json() == {"dismissed": False}  # joined today: not due


def test_support_requests_over_the_api_are_ones_own(creator, outsider, creator_api, outsider_api):
    created = creator_api.post(
        "/api/v1/support/requests/",
        {"category": "billing", "subject": "VAT number", "message": "Please add my VAT number to invoices."},
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert [m["body"] for m in created.json()["messages"]] == ["Please add my VAT number to invoices."]
    assert [row["id"] for row in creator_api.get("/api/v1/support/requests/").json()["results"]] == [pk]
    assert outsider_api.get("/api/v1/support/requests/").json()["results"] == []
    assert outsider_api.get(f"/api/v1/support/requests/{pk}/").status_code == 404
    assert outsider_api.post(f"/api/v1/support/requests/{pk}/replies/", {"body": "Let me in!!"}).status_code == 404
    reply = creator_api.post(f"/api/v1/support/requests/{pk}/replies/", {"body": "It is FR123456789."}, format="json")
    assert reply.status_code == 201
    detail = creator_api.get(f"/api/v1/support/requests/{pk}/").json()
    assert [m["from_staff"] for m in detail["messages"]] == [False, False]
    assert creator_api.get("/api/v1/support/requests/nonsense/").status_code == 404


def test_support_requests_over_the_api_share_the_pages_rate(creator, creator_api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"support": "1/hour"}}
    support_request_create(user=creator, category="bug", subject="First", message="The first request, from a page.")
    refused = creator_api.post(
        "/api/v1/support/requests/",
        {"category": "bug", "subject": "Second", "message": "The second request, from the API."},
        format="json",
    )
    assert refused.status_code == 429
    assert SupportRequest.objects.count() == 1
