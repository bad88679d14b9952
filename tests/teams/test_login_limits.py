"""Password guessing is limited per client address and per account, on every way in: the login
page, the API's token endpoint and the admin; the address is read through the trusted proxies."""

import itertools
import json
import runpy
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from tests.factories import UserFactory
from tests.fresh_django import run_django

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"  # the load balancer: every request reaches the app from it
GUESSES = 20
# allauth's failed-login limits: 10 a minute per address, 5 in 5 minutes per account.
ACCOUNT_LOCKOUT_SECONDS = 300

_spoofed = (f"203.0.113.{n}" for n in itertools.count(1))


def forwarded_for(client_address: str | None) -> str:
    """An X-Forwarded-For the attacker rotates; the proxy appends the address it really saw."""
    header = next(_spoofed)
    return f"{header}, {client_address}" if client_address else header


def trust_proxies(settings, monkeypatch, count: int) -> None:
    """Apply what the settings make of TRUSTED_PROXY_COUNT=<count> to the running test."""
    monkeypatch.setenv("TRUSTED_PROXY_COUNT", str(count))
    configured = runpy.run_path(str(Path(django_settings.BASE_DIR) / "config" / "settings" / "base.py"))
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = configured["ALLAUTH_TRUSTED_PROXY_COUNT"]
    settings.REST_FRAMEWORK = {
        **django_settings.REST_FRAMEWORK,
        "NUM_PROXIES": configured["REST_FRAMEWORK"]["NUM_PROXIES"],
    }


@pytest.fixture(params=[0, 1], ids=["no-proxy", "one-proxy"])
def proxy_count(request, settings, monkeypatch) -> int:
    trust_proxies(settings, monkeypatch, request.param)
    return request.param


@pytest.fixture
def clock(monkeypatch):
    """Moves time.time() forward, which is what allauth's limits (and the local cache) count in."""

    class Clock:
        offset = 0.0

        def advance(self, seconds: float) -> None:
            self.offset += seconds

    clock = Clock()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + clock.offset)
    return clock


def guess_token(client: APIClient, email: str, password: str, client_address: str | None) -> int:
    response = client.post(
        reverse("api-token"),
        {"email": email, "password": password},
        format="json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for(client_address),
    )
    return response.status_code


def sign_in(client: Client, email: str, password: str, client_address: str | None, next_url: str = "") -> bool:
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    client.post(
        url,
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for(client_address),
    )
    return "_auth_user_id" in client.session


def test_guessing_a_password_on_the_token_endpoint_locks_the_address_out(proxy_count, clock, creator, password):
    attacker = APIClient()
    client_address = "198.51.100.7" if proxy_count else None
    codes = [guess_token(attacker, creator.email, "wrong", client_address) for _ in range(GUESSES)]
    assert codes[:5] == [400] * 5
    assert set(codes[5:]) == {429}
    # The right password is refused too while the lockout lasts...
    assert guess_token(attacker, creator.email, password, client_address) == 429
    clock.advance(ACCOUNT_LOCKOUT_SECONDS - 30)
    assert guess_token(attacker, creator.email, password, client_address) == 429
    # ...and accepted once it has expired.
    clock.advance(31)
    assert guess_token(attacker, creator.email, password, client_address) == 200


def test_the_token_endpoint_counts_against_the_login_pages_limits(creator, password):
    attacker = APIClient()
    for _ in range(5):
        guess_token(attacker, creator.email, "wrong", None)
    assert not sign_in(Client(), creator.email, password, None)


def test_the_address_is_locked_out_across_accounts_on_the_token_endpoint(proxy_count):
    client_address = "198.51.100.8" if proxy_count else None
    people = UserFactory.create_batch(11)
    attacker = APIClient()
    codes = [guess_token(attacker, person.email, "wrong", client_address) for person in people]
    assert codes == [400] * 10 + [429]


def test_the_admin_login_goes_through_the_rate_limited_login_page(client, staff, password):
    response = client.post(reverse("admin:login"), {"username": staff.email, "password": password})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_guessing_a_staff_password_for_the_admin_locks_the_address_out(proxy_count, clock, staff, password):
    attacker = Client()
    client_address = "198.51.100.9" if proxy_count else None
    admin_index = reverse("admin:index")
    for _ in range(GUESSES):
        attacker.post(
            reverse("admin:login") + f"?next={admin_index}",
            {"username": staff.email, "password": "wrong"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=forwarded_for(client_address),
        )
        assert not sign_in(attacker, staff.email, "wrong", client_address, next_url=admin_index)
    attacker.post(reverse("admin:login") + f"?next={admin_index}", {"username": staff.email, "password": password})
    assert not sign_in(attacker, staff.email, password, client_address, next_url=admin_index)
    assert attacker.get(admin_index).status_code == 302
    clock.advance(ACCOUNT_LOCKOUT_SECONDS + 1)
    assert sign_in(attacker, staff.email, password, client_address, next_url=admin_index)
    assert attacker.get(admin_index).status_code == 200


@pytest.fixture
def behind_one_proxy(settings, monkeypatch):
    trust_proxies(settings, monkeypatch, 1)


def test_two_clients_behind_one_proxy_are_limited_separately(behind_one_proxy, password):
    alice, bob = Client(), Client()
    for person in UserFactory.create_batch(10):
        assert not sign_in(alice, person.email, "wrong", "198.51.100.1")
    bob_account = UserFactory()
    alice_account = UserFactory()
    # Alice's address used up its failed sign-ins; Bob, behind the same balancer, still has his.
    assert not sign_in(alice, alice_account.email, password, "198.51.100.1")
    assert sign_in(bob, bob_account.email, password, "198.51.100.2")


def test_the_apis_anonymous_rate_counts_each_client_behind_the_proxy(behind_one_proxy):
    from rest_framework.test import APIRequestFactory

    def ident(header: str) -> str:
        request = APIView().initialize_request(
            APIRequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=header)
        )
        return AnonRateThrottle().get_ident(request)

    # A forged prefix does not change who the client is; a different client behind the proxy does.
    assert ident("203.0.113.1, 198.51.100.1") == ident("203.0.113.2, 198.51.100.1") == "198.51.100.1"
    assert ident("198.51.100.2") == "198.51.100.2"


def test_one_variable_sets_the_trusted_proxies_for_the_api_and_the_login_limits():
    probe = (
        "import json, django; from django.conf import settings; django.setup();"
        "print(json.dumps([settings.ALLAUTH_TRUSTED_PROXY_COUNT, settings.REST_FRAMEWORK['NUM_PROXIES']]))"
    )
    result = run_django(probe, "config.settings.local", TRUSTED_PROXY_COUNT="2")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [2, 2]
    result = run_django(probe, "config.settings.local")
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [0, 0]
