"""The interface speaks the saved language, else the browser's, else English."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_all_nine_languages_are_offered():
    assert [code for code, _ in settings.LANGUAGES] == ["en", "es", "fr", "de", "pt", "ja", "ko", "zh-hans", "hi"]


def test_english_without_any_preference(client):
    response = client.get(reverse("landing"))
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


def translated(text: str, language: str) -> str:
    with translation.override(language):
        result = translation.gettext(text)
    assert result != text, f"{text!r} has no {language} translation"
    return result


@pytest.mark.parametrize(
    ("header", "expected"),
    [("es-ES,es;q=0.9", "es"), ("de", "de"), ("ja-JP", "ja"), ("zh-CN,zh;q=0.9", "zh-hans"), ("hi-IN", "hi")],
)
def test_the_browser_language_is_used_for_visitors(client, header, expected):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE=header)
    assert response["Content-Language"] == expected
    assert translated("Forgot your password?", expected) in response.content.decode()


def test_a_saved_preference_beats_the_browser(client, creator):
    creator.language = "fr"
    creator.save(update_fields=["language"])
    client.force_login(creator)
    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="de")
    assert response["Content-Language"] == "fr"
    assert translated("Recent activity", "fr") in response.content.decode()


def test_the_switcher_saves_the_choice_for_signed_in_people(creator_client, creator):
    response = creator_client.post(reverse("language_set"), {"language": "ko", "next": "/dashboard/"})
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    creator.refresh_from_db()
    assert creator.language == "ko"
    assert creator_client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "ko"


def test_the_switcher_remembers_a_visitors_choice_in_a_cookie(client):
    client.post(reverse("language_set"), {"language": "pt", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "pt"
    assert client.get(reverse("landing"), HTTP_ACCEPT_LANGUAGE="en")["Content-Language"] == "pt"


def test_an_unknown_language_is_refused(creator_client, creator):
    response = creator_client.post(reverse("language_set"), {"language": "tlh"})
    assert response.status_code == 400
    creator.refresh_from_db()
    assert creator.language == ""


def test_signup_keeps_the_language_the_person_signed_up_in(client, django_capture_on_commit_callbacks):
    from django.core import mail

    from teams.models import User

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "hana@example.com", "password1": "a-long-Passw0rd!", "password2": "a-long-Passw0rd!"},
            HTTP_ACCEPT_LANGUAGE="ko",
        )
    assert User.objects.get().language == "ko"
    # The verification e-mail is written in that language too.
    assert "Video Creator" in mail.outbox[0].body
    assert mail.outbox[0].subject == "[Video Creator] " + translated("Please confirm your e-mail address", "ko")
