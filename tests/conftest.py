import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory


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


@pytest.fixture
def creator(db):
    """A creator with a verified e-mail address: the person most tests are about."""
    return UserFactory(email="creator@example.com", display_name="Cora Creator")


@pytest.fixture
def outsider(db):
    """Someone unrelated to the creator, for every access rule."""
    return UserFactory(email="outsider@example.com", display_name="Otto Outsider")


@pytest.fixture
def staff(db):
    return UserFactory(email="staff@example.com", display_name="Sam Staff", is_staff=True, is_superuser=True)


@pytest.fixture
def creator_client(creator) -> Client:
    client = Client()
    client.force_login(creator)
    return client


@pytest.fixture
def staff_client(staff) -> Client:
    client = Client()
    client.force_login(staff)
    return client


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


from tests.browser import browser, page  # noqa: E402,F401 (Chromium fixtures shared by every app's browser tests)


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
