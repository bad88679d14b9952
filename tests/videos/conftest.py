import pytest

from teams.models import Membership, Team
from tests.factories import UserFactory
from tests.videos.factories import TemplateFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test stores files in its own folder, so tests can count what is stored."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def template(db):
    return TemplateFactory()


@pytest.fixture
def team(creator):
    team = Team.objects.create(name="Studio", slug="studio", created_by=creator)
    Membership.objects.create(team=team, user=creator, role=Membership.Role.OWNER)
    return team


@pytest.fixture
def teammate(team):
    """An editor in the creator's team."""
    user = UserFactory(email="teammate@example.com", display_name="Tea Mate")
    Membership.objects.create(team=team, user=user, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def team_viewer(team):
    user = UserFactory(email="viewer@example.com", display_name="Vi Ewer")
    Membership.objects.create(team=team, user=user, role=Membership.Role.VIEWER)
    return user
