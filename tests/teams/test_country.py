"""A person's country: guessed at signup from the browser's language region, changed on the profile,
and an audience filter of one-off campaigns."""

import pytest
from django.urls import reverse

from teams.models import User
from teams.signals import country_from_accept_language

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("header", "country"),
    [
        ("pt-BR,pt;q=0.9,en;q=0.8", "BR"),
        ("zh-Hans-CN", "CN"),
        ("de", ""),  # a language without a region says nothing about the country
        ("en-XX", ""),  # not a country
        ("", ""),
    ],
)
def test_the_country_comes_from_the_region_of_the_first_language(header, country):
    assert country_from_accept_language(header) == country


def test_signup_guesses_the_country_from_the_browser(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "bia@example.com", "password1": "a-long-Passw0rd!", "password2": "a-long-Passw0rd!"},
            HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9",
        )
    assert User.objects.get(email="bia@example.com").country == "BR"


def test_people_change_their_country_on_their_profile(creator, creator_client):
    answer = creator_client.post(
        reverse("account_settings"),
        {"display_name": "Cora", "language": "en", "time_zone": "UTC", "country": "JP"},
    )
    assert answer.status_code == 302
    creator.refresh_from_db()
    assert creator.country == "JP"
    assert creator_client.get(reverse("api-me")).json()["country"] == "JP"
