"""The API: token authentication, the /me endpoint and its JSON errors."""

import pytest
from django.urls import reverse
from knox.models import AuthToken

from insights.models import Event
from teams.models import ApiTokenLabel
from teams.services import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_verified_person_exchanges_credentials_for_a_token(api_client, creator, password):
    response = api_client.post(reverse("api-token"), {"email": "Creator@Example.com", "password": password})
    assert response.status_code == 200
    body = response.json()
    assert body["token"].startswith("vc_")
    assert body["id"] == ApiTokenLabel.objects.get(token__user=creator).pk
    assert body["expiry"]


def test_wrong_credentials_get_a_json_error(api_client, creator):
    response = api_client.post(reverse("api-token"), {"email": creator.email, "password": "wrong"}, format="json")
    assert response.status_code == 400
    assert "not correct" in response.json()["non_field_errors"][0]


def test_an_unverified_address_gets_no_token(api_client, password):
    person = UserFactory(verified=False)
    response = api_client.post(reverse("api-token"), {"email": person.email, "password": password})
    assert response.status_code == 400
    assert "Verify your e-mail" in response.json()["non_field_errors"][0]
    assert not AuthToken.objects.exists()


def test_me_with_a_token(api_client, creator):
    _token, key = api_token_create(user=creator)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    response = api_client.get(reverse("api-me"))
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "creator@example.com"
    assert body["display_name"] == "Cora Creator"
    assert body["time_zone"] == "UTC"


def test_me_without_credentials_is_401_json(api_client):
    response = api_client.get(reverse("api-me"))
    assert response.status_code == 401
    assert "detail" in response.json()


def test_me_with_a_bad_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get(reverse("api-me")).status_code == 401


def test_updating_me_saves_preferences_and_records_an_event(api_client, creator):
    api_client.force_authenticate(creator)
    response = api_client.patch(
        reverse("api-me"), {"display_name": "Cora", "language": "ja", "time_zone": "Asia/Tokyo"}, format="json"
    )
    assert response.status_code == 200, response.json()
    creator.refresh_from_db()
    assert (creator.display_name, creator.language, creator.time_zone) == ("Cora", "ja", "Asia/Tokyo")
    event = Event.objects.get(name="user.profile_updated")
    assert event.actor == creator
    assert sorted(event.payload["fields"]) == ["display_name", "language", "time_zone"]


def test_bad_input_gets_field_errors_and_changes_nothing(api_client, creator):
    api_client.force_authenticate(creator)
    response = api_client.patch(reverse("api-me"), {"language": "xx", "time_zone": "Mars/Olympus"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"language", "time_zone"}
    creator.refresh_from_db()
    assert (creator.language, creator.time_zone) == ("", "UTC")


def test_email_cannot_be_changed_through_me(api_client, creator):
    api_client.force_authenticate(creator)
    api_client.patch(reverse("api-me"), {"email": "hijack@example.com"}, format="json")
    creator.refresh_from_db()
    assert creator.email == "creator@example.com"


def test_me_costs_a_fixed_number_of_queries(api_client, creator, django_assert_max_num_queries):
    _token, key = api_token_create(user=creator)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    with django_assert_max_num_queries(4):
        assert api_client.get(reverse("api-me")).status_code == 200


def test_the_whole_api_is_limited_to_the_plans_hourly_rate(api_client, creator):
    from billing.models import Plan

    Plan.objects.filter(is_default=True).update(api_rate_per_hour=2)
    api_client.force_authenticate(creator)
    responses = [api_client.get(reverse("api-me")) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]
    assert "detail" in responses[-1].json()
    assert int(responses[-1]["Retry-After"]) > 0
