"""Teams' comments reach the commented video only through the registry videos fills in at start-up."""

import ast
from pathlib import Path

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

import teams
from config.errors import NotFound
from teams.permissions import Action, comment_target_get_for_user
from tests.videos.factories import VideoFactory

TEAMS_DIR = Path(teams.__file__).parent
PROJECT_DIR = TEAMS_DIR.parent


def _imported_modules(path: Path) -> list[str]:
    """Every module a file imports, anywhere in it (TYPE_CHECKING blocks and function bodies too)."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_no_module_of_teams_imports_videos():
    offenders = [
        f"{path.relative_to(TEAMS_DIR.parent)}: {name}"
        for path in sorted(TEAMS_DIR.rglob("*.py"))
        for name in _imported_modules(path)
        if name == "videos" or name.startswith("videos.")
    ]
    assert offenders == []


def test_every_get_for_user_is_defined_in_a_permissions_module():
    """Access rules have one home per app: `<entity>_get_for_user` lives in `permissions.py` only."""
    skip = {".venv", "node_modules", "tests", ".git"}
    offenders = [
        f"{path.relative_to(PROJECT_DIR)}: {node.name}"
        for path in sorted(PROJECT_DIR.rglob("*.py"))
        if not skip & set(path.relative_to(PROJECT_DIR).parts) and path.name != "permissions.py"
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.endswith("_get_for_user")
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_registered_target_is_the_video_with_its_access_rule(creator, outsider):
    video = VideoFactory(owner=creator, title="Private cut", duration_seconds=10.0)

    assert comment_target_get_for_user(user=creator, target_id=video.pk, action=Action.COMMENT) == video
    with pytest.raises(NotFound):
        comment_target_get_for_user(user=outsider, target_id=video.pk)


@pytest.mark.django_db
def test_comments_on_another_persons_video_are_not_found_on_the_page_and_the_api(creator, outsider, client):
    video = VideoFactory(owner=creator, title="Private cut", duration_seconds=10.0)
    client.force_login(outsider)
    api = APIClient()
    api.force_authenticate(outsider)

    assert client.get(reverse("comment_panel", args=[video.pk])).status_code == 404
    assert client.post(reverse("comment_panel", args=[video.pk]), {"body": "hi"}).status_code == 404
    assert client.get(reverse("comment_mentions", args=[video.pk])).status_code == 404
    api_url = reverse("api-video-comment-list", args=[video.pk])
    assert api.get(api_url).status_code == 404
    assert api.post(api_url, {"body": "hi", "timestamp_seconds": 1}, format="json").status_code == 404
    assert not video.comments.exists()
