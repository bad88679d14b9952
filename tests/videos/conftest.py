import pytest

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


from tests.videos.publishing import (  # noqa: E402,F401 (the publishing tests' fake platforms and accounts)
    fake_platforms_running,
    link_account,
    platforms,
    publishable_video,
)
