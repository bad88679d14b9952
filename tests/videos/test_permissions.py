"""Who may do what with a video: every role and action, with an owner, teammates and an outsider."""

import pytest

from config.errors import NotFound, PermissionDenied
from teams.permissions import Action
from tests.videos.factories import VideoFactory, VideoVersionFactory
from videos.models import TemplateImport
from videos.permissions import template_import_get_for_user, version_get_for_user, video_get_for_user

pytestmark = pytest.mark.django_db

ACTIONS = [Action.VIEW, Action.EDIT, Action.DELETE]
# person -> (view, edit, delete) on a team video owned by the creator
EXPECTED = {
    "creator": ("ok", "ok", "ok"),
    "teammate": ("ok", "ok", "ok"),
    "team_viewer": ("ok", "403", "403"),
    "outsider": ("404", "404", "404"),
    "staff": ("404", "404", "404"),  # staff reach videos through the ops console, not as owners
}


def outcome(user, video, action) -> str:
    try:
        video_get_for_user(user=user, video_id=video.pk, action=action)
    except NotFound:
        return "404"
    except PermissionDenied:
        return "403"
    return "ok"


@pytest.mark.parametrize("person", list(EXPECTED))
def test_team_video_access_table(person, request, creator, team, teammate, team_viewer, outsider, staff):
    video = VideoFactory(owner=creator, team=team)
    user = request.getfixturevalue(person)
    assert tuple(outcome(user, video, action) for action in ACTIONS) == EXPECTED[person]


def test_a_personal_video_belongs_to_its_owner_alone(creator, teammate, outsider):
    video = VideoFactory(owner=creator)
    assert [outcome(creator, video, a) for a in ACTIONS] == ["ok", "ok", "ok"]
    assert [outcome(teammate, video, a) for a in ACTIONS] == ["404", "404", "404"]
    assert [outcome(outsider, video, a) for a in ACTIONS] == ["404", "404", "404"]


# person -> (view, edit) of version 1 of a team video owned by the creator
VERSION_EXPECTED = {
    "creator": ("ok", "ok"),
    "teammate": ("ok", "ok"),
    "team_viewer": ("ok", "403"),
    "outsider": ("404", "404"),
    "staff": ("404", "404"),
}


def version_outcome(user, video, number, action) -> str:
    try:
        version_get_for_user(user=user, video_id=video.pk, number=number, action=action)
    except NotFound:
        return "404"
    except PermissionDenied:
        return "403"
    return "ok"


@pytest.mark.parametrize("person", list(VERSION_EXPECTED))
def test_team_video_version_access_table(person, request, creator, team, teammate, team_viewer, outsider, staff):
    video = VideoFactory(owner=creator, team=team)
    VideoVersionFactory(video=video, number=1)
    user = request.getfixturevalue(person)
    got = tuple(version_outcome(user, video, 1, action) for action in (Action.VIEW, Action.EDIT))
    assert got == VERSION_EXPECTED[person]


def test_a_version_that_does_not_exist_is_not_found(creator):
    video = VideoFactory(owner=creator)
    VideoVersionFactory(video=video, number=1)
    assert version_get_for_user(user=creator, video_id=video.pk, number=1).video == video
    assert version_outcome(creator, video, 2, Action.VIEW) == "404"


@pytest.mark.parametrize("person", ["creator", "teammate", "outsider", "staff"])
def test_template_imports_are_for_staff_alone(person, request, creator, teammate, outsider, staff):
    job = TemplateImport.objects.create(file="imports/templates.csv", created_by=staff)
    user = request.getfixturevalue(person)
    if person == "staff":
        assert template_import_get_for_user(user=user, import_id=job.pk) == job
    else:
        with pytest.raises(NotFound):
            template_import_get_for_user(user=user, import_id=job.pk)
