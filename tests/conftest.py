from collections.abc import Callable

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from teams.models import Membership, Team, User
from tests.factories import PASSWORD, UserFactory
from tests.teams.factories import MembershipFactory, TeamFactory

Role = Membership.Role


@pytest.fixture(scope="session", autouse=True)
def _end_thread_connections(django_db_setup, django_db_blocker):
    """Close the connections that worker and live-server threads leave open, so the test
    database can be dropped at the end of the run."""
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts with an empty cache (rate limits, cached lookups)."""
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a page request (LocaleMiddleware) leaves the
    language it activated on the test's thread, and lazy messages would follow it."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def password() -> str:
    return PASSWORD


# The test people: one team around the creator, with one member of every role, and someone from
# outside. Every app's tests use these; an app's conftest adds its own data, never its own people.


@pytest.fixture
def creator(db) -> User:
    """A creator with a verified e-mail address: the person most tests are about, and the team's owner."""
    return UserFactory(email="creator@example.com", display_name="Cora Creator")


@pytest.fixture
def team(creator) -> Team:
    """The creator's team; its only member is the creator (owner) until a test asks for more people."""
    team = TeamFactory(name="Studio Nine", slug="studio-nine", created_by=creator)
    MembershipFactory(team=team, user=creator, role=Role.OWNER)
    return team


@pytest.fixture
def team_admin(team) -> User:
    """An admin of the creator's team: manages members, does not own the team."""
    user = UserFactory(email="ada@example.com", display_name="Ada Admin")
    MembershipFactory(team=team, user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def editor(team) -> User:
    """An editor of the creator's team: a teammate who makes videos."""
    user = UserFactory(email="eddie@example.com", display_name="Eddie Editor")
    MembershipFactory(team=team, user=user, role=Role.EDITOR)
    return user


@pytest.fixture
def viewer(team) -> User:
    """A viewer of the creator's team: sees the team's videos, changes nothing."""
    user = UserFactory(email="vera@example.com", display_name="Vera Viewer")
    MembershipFactory(team=team, user=user, role=Role.VIEWER)
    return user


@pytest.fixture
def outsider(db) -> User:
    """Someone unrelated to the creator and the team, for every access rule."""
    return UserFactory(email="outsider@example.com", display_name="Otto Outsider")


@pytest.fixture
def staff(db) -> User:
    """A superuser of the ops console."""
    return UserFactory(email="staff@example.com", display_name="Sam Staff", is_staff=True, is_superuser=True)


# Other names the suite uses for the same people.


@pytest.fixture
def teammate(editor) -> User:
    """The creator's teammate: the team's editor."""
    return editor


@pytest.fixture
def admin_member(team_admin) -> User:
    return team_admin


@pytest.fixture
def team_viewer(viewer) -> User:
    return viewer


# Their logged-in clients: pages (Django's test client, a session) and the API (DRF's client).


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """Makes a page client logged in as the given person."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_client_for() -> Callable[[User], APIClient]:
    """Makes an API client authenticated as the given person."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def creator_client(client_for, creator) -> Client:
    return client_for(creator)


@pytest.fixture
def outsider_client(client_for, outsider) -> Client:
    return client_for(outsider)


@pytest.fixture
def staff_client(client_for, staff) -> Client:
    return client_for(staff)


@pytest.fixture
def api_client() -> APIClient:
    """An API client nobody has logged in to."""
    return APIClient()


@pytest.fixture
def creator_api(api_client_for, creator) -> APIClient:
    return api_client_for(creator)


@pytest.fixture
def outsider_api(api_client_for, outsider) -> APIClient:
    return api_client_for(outsider)


from tests.browser import browser, page  # noqa: E402,F401 (Chromium fixtures shared by every app's browser tests)
from tests.s3 import s3_endpoint, s3_storage  # noqa: E402,F401 (a loopback S3 for every app's storage tests)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Transactional tests empty the database afterwards, and with it what data migrations seeded
    (plans, starter templates, schedules). Every such test therefore restores the serialized initial
    state; mixing tests that do with tests that don't breaks the restore (a plain flush recreates
    content types that the restore then inserts again)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        kwargs = dict(marker.kwargs) if marker else {}
        transactional = kwargs.get("transaction") or {"transactional_db", "live_server"} & set(item.fixturenames)
        if transactional and not kwargs.get("serialized_rollback"):
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
