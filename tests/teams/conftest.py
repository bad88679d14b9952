"""People around one team: an owner (the creator), an admin, an editor, a viewer, and an outsider."""

import re

import pytest
from django.test import Client

from teams.models import Membership
from tests.factories import UserFactory
from tests.teams.factories import MembershipFactory, TeamFactory

Role = Membership.Role


@pytest.fixture
def team(creator):
    team = TeamFactory(name="Studio Nine", slug="studio-nine", created_by=creator)
    MembershipFactory(team=team, user=creator, role=Role.OWNER)
    return team


@pytest.fixture
def admin_member(team):
    user = UserFactory(email="ada@example.com", display_name="Ada Admin")
    MembershipFactory(team=team, user=user, role=Role.ADMIN)
    return user


@pytest.fixture
def editor(team):
    user = UserFactory(email="eddie@example.com", display_name="Eddie Editor")
    MembershipFactory(team=team, user=user, role=Role.EDITOR)
    return user


@pytest.fixture
def viewer(team):
    user = UserFactory(email="vera@example.com", display_name="Vera Viewer")
    MembershipFactory(team=team, user=user, role=Role.VIEWER)
    return user


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


def link_in(body: str) -> str:
    return re.search(r"https?://\S+", body).group(0)


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]
