import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory


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


from tests.browser import page  # noqa: E402,F401 (the Chromium fixture, shared by every app's browser tests)
