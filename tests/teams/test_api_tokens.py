"""API tokens: hashed at rest, shown once, named, expiring, several per person, revocable on the
settings page and in the API, and all revoked when the password changes or is reset."""

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from teams.models import ApiTokenLabel
from teams.services import api_token_create
from tests.teams.conftest import path_of

pytestmark = pytest.mark.django_db


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def works(key: str) -> bool:
    return with_token(key).get(reverse("api-me")).status_code == 200


def create_token(client, name: str = "CI", **extra) -> dict:
    response = client.post(reverse("api-token-list"), {"name": name, **extra}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def every_stored_value(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our own table name)
        return " ".join(str(value) for row in cursor.fetchall() for value in row)


def test_a_token_is_stored_hashed_and_its_key_shown_only_once(creator_api, creator):
    created = create_token(creator_api, name="Deploy script")
    key = created["token"]
    assert works(key)
    stored = every_stored_value(AuthToken._meta.db_table) + every_stored_value(ApiTokenLabel._meta.db_table)
    assert key not in stored
    assert key[8:] not in stored  # not even most of it
    listed = creator_api.get(reverse("api-token-list")).json()
    assert [token["name"] for token in listed["results"]] == ["Deploy script"]
    assert key not in str(listed)


def test_the_token_endpoint_issues_a_new_named_token_for_each_exchange(api_client, creator, password):
    first = api_client.post(
        reverse("api-token"), {"email": "Creator@Example.com", "password": password, "name": "Laptop"}, format="json"
    )
    assert first.status_code == 200, first.content
    second = api_client.post(reverse("api-token"), {"email": creator.email, "password": password}, format="json")
    assert first.json()["token"] != second.json()["token"]
    assert works(first.json()["token"]) and works(second.json()["token"])
    assert sorted(ApiTokenLabel.objects.filter(token__user=creator).values_list("name", flat=True)) == ["", "Laptop"]


def test_a_token_expires(creator_api):
    created = create_token(creator_api, expires_in_days=7)
    token = ApiTokenLabel.objects.get(pk=created["id"]).token
    assert abs(token.expiry - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    assert works(created["token"])
    AuthToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - timedelta(seconds=1))
    assert not works(created["token"])
    assert created["id"] not in [t["id"] for t in creator_api.get(reverse("api-token-list")).json()["results"]]


def test_a_token_never_lives_forever(creator_api):
    response = creator_api.post(reverse("api-token-list"), {"name": "x", "expires_in_days": 0}, format="json")
    assert response.status_code == 400
    assert "expires_in_days" in response.json()
    assert create_token(creator_api)["expiry"] is not None


def test_several_tokens_each_revocable_in_the_api(creator_api):
    ci, laptop = create_token(creator_api, name="CI"), create_token(creator_api, name="Laptop")
    response = creator_api.delete(reverse("api-token-detail", args=[ci["id"]]))
    assert response.status_code == 204
    assert not works(ci["token"])
    assert works(laptop["token"])


def test_another_persons_token_is_a_404(creator_api, outsider):
    outsider_api = APIClient()
    outsider_api.force_authenticate(outsider)
    created = create_token(creator_api)
    assert outsider_api.delete(reverse("api-token-detail", args=[created["id"]])).status_code == 404
    assert outsider_api.get(reverse("api-token-list")).json()["results"] == []
    assert works(created["token"])


def test_creating_and_revoking_tokens_is_rate_limited(creator_api, settings):
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api_tokens": "3/hour"},
    }
    codes = [creator_api.post(reverse("api-token-list"), {"name": "x"}, format="json").status_code for _ in range(4)]
    assert codes == [201, 201, 201, 429]
    # Reading the list is not a write and stays available.
    assert creator_api.get(reverse("api-token-list")).status_code == 200


def test_a_person_has_a_bounded_number_of_tokens(creator_api, creator):
    for _ in range(10):
        create_token(creator_api)
    response = creator_api.post(reverse("api-token-list"), {"name": "one too many"}, format="json")
    assert response.status_code == 400
    assert "Revoke one" in response.json()["detail"]
    assert AuthToken.objects.filter(user=creator).count() == 10


def test_the_settings_page_creates_a_named_token_shows_it_once_and_revokes_it(creator_client, creator):
    response = creator_client.post(reverse("api_token_create"), {"name": "Zapier", "expires_in_days": "30"})
    assert response.status_code == 200
    key = re.search(r'data-testid="new-api-token">([^<]+)<', response.content.decode()).group(1)
    assert works(key)
    page = creator_client.get(reverse("account_settings")).content.decode()
    assert "Zapier" in page
    assert key not in page
    token = ApiTokenLabel.objects.get(token__user=creator)
    response = creator_client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert not works(key)
    assert not AuthToken.objects.exists()


def test_the_settings_page_refuses_a_bad_expiry_and_another_persons_token(creator_client, outsider):
    response = creator_client.post(reverse("api_token_create"), {"name": "x", "expires_in_days": "100000"})
    assert response.status_code == 400
    assert not AuthToken.objects.exists()
    theirs, key = api_token_create(user=outsider, name="theirs")
    assert creator_client.post(reverse("api_token_revoke", args=[theirs.pk])).status_code == 404
    assert works(key)


def test_changing_the_password_revokes_every_token(creator_client, creator, password):
    keys = [api_token_create(user=creator, name=n)[1] for n in ("a", "b")]
    response = creator_client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": "another-Pass-77", "password2": "another-Pass-77"},
    )
    assert response.status_code == 302
    assert not any(works(key) for key in keys)
    assert not AuthToken.objects.filter(user=creator).exists()


def test_resetting_the_password_revokes_every_token(client, creator, django_capture_on_commit_callbacks):
    _token, key = api_token_create(user=creator, name="old")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": creator.email})
    reset_path = path_of(re.search(r"https?://\S+", mail.outbox[-1].body).group(0))
    form_page = client.get(reset_path, follow=True)
    action = form_page.redirect_chain[-1][0] if form_page.redirect_chain else reset_path
    response = client.post(action, {"password1": "brand-New-pass-42", "password2": "brand-New-pass-42"})
    assert response.status_code == 302
    assert not works(key)


def test_a_password_set_anywhere_else_revokes_every_token(staff_client, creator):
    # The admin's password form and `manage.py changepassword` go through set_password().
    _token, key = api_token_create(user=creator, name="old")
    response = staff_client.post(
        reverse("admin:auth_user_password_change", args=[creator.pk]),
        {"password1": "admin-Set-pass-99", "password2": "admin-Set-pass-99", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content
    assert not works(key)
    _token, key = api_token_create(user=creator, name="again")
    creator.set_password("yet-Another-pass-1")
    creator.save()
    assert not works(key)


def test_a_hash_upgrade_on_sign_in_is_not_a_password_change(api_client, creator, password, settings):
    settings.PASSWORD_HASHERS = [*settings.PASSWORD_HASHERS, "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    type(creator).objects.filter(pk=creator.pk).update(password=make_password(password, hasher="pbkdf2_sha256"))
    _token, key = api_token_create(user=creator, name="kept")
    response = api_client.post(reverse("api-token"), {"email": creator.email, "password": password}, format="json")
    assert response.status_code == 200
    creator.refresh_from_db()
    assert creator.password.startswith("md5$")  # upgraded to the preferred hasher on sign-in
    assert works(key)


def test_the_openapi_schema_documents_the_token_endpoints(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    assert {"/api/v1/auth/tokens/", "/api/v1/auth/tokens/{id}/"} <= set(schema["paths"])
    assert "knoxApiToken" in schema["components"]["securitySchemes"]
    created = schema["paths"]["/api/v1/auth/tokens/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/NewApiToken"
    assert "token" in schema["components"]["schemas"]["NewApiToken"]["properties"]
    assert "token" not in schema["components"]["schemas"]["ApiToken"]["properties"]


def test_the_admin_neither_lists_nor_mints_tokens(staff_client):
    from django.contrib import admin

    token_admins = [model for model in admin.site._registry if model._meta.app_label in {"knox", "authtoken"}]
    assert token_admins == []
    assert "auth token" not in staff_client.get(reverse("admin:index")).content.decode().lower()


def _token_writes_per_hour(settings, rate: str) -> None:
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**django_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "api_tokens": rate},
    }


def test_the_settings_page_and_the_api_share_one_token_write_limit(creator_client, creator_api, creator, settings):
    """The page is a second door to the same writes: it counts in the same per-person hour as the API."""
    _token_writes_per_hour(settings, "3/hour")
    assert creator_api.post(reverse("api-token-list"), {"name": "api"}, format="json").status_code == 201
    page = creator_client.post(reverse("api_token_create"), {"name": "page", "expires_in_days": "30"})
    assert page.status_code == 200
    revoked = ApiTokenLabel.objects.get(name="page")
    assert creator_client.post(reverse("api_token_revoke", args=[revoked.pk])).status_code == 302

    refused = creator_client.post(reverse("api_token_create"), {"name": "one more", "expires_in_days": "30"})
    assert refused.status_code == 429
    assert "too often" in refused.content.decode()
    kept = ApiTokenLabel.objects.get(name="api")
    refused_revoke = creator_client.post(reverse("api_token_revoke", args=[kept.pk]))
    assert refused_revoke.status_code == 429
    assert creator_api.post(reverse("api-token-list"), {"name": "api2"}, format="json").status_code == 429
    assert list(ApiTokenLabel.objects.filter(token__user=creator).values_list("name", flat=True)) == ["api"]


def test_the_page_limit_is_per_person(creator_client, outsider, settings):
    _token_writes_per_hour(settings, "1/hour")
    assert creator_client.post(reverse("api_token_create"), {"name": "a", "expires_in_days": "30"}).status_code == 200
    _theirs, _key = api_token_create(user=outsider, name="theirs")
    assert ApiTokenLabel.objects.filter(name="theirs").exists()
