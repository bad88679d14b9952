"""Who may do what with a video: every role and action, with an owner, teammates and an outsider."""

import pytest

from config.errors import NotFound, PermissionDenied
from teams.permissions import Action
from tests.videos.factories import VideoFactory
from videos.selectors import video_get_for_user

pytestmark = pytest.mark.django_db

ACTIONS = [Action.VIEW, Action.EDIT, Action.DELETE]
# person -> (view, edit, delete) on a team video owned by the creator
EXPECTED = {
    "creator": ("ok", "ok", "ok"),
    "teammate": ("ok", "ok", "ok"),
    "team_viewer": ("ok", "403", "403"),
    "outsider": ("404", "404", "404"),
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
def test_team_video_access_table(person, request, creator, team, teammate, team_viewer, outsider):
    video = VideoFactory(owner=creator, team=team)
    user = request.getfixturevalue(person)
    assert tuple(outcome(user, video, action) for action in ACTIONS) == EXPECTED[person]


def test_a_personal_video_belongs_to_its_owner_alone(creator, teammate, outsider):
    video = VideoFactory(owner=creator)
    assert [outcome(creator, video, a) for a in ACTIONS] == ["ok", "ok", "ok"]
    assert [outcome(teammate, video, a) for a in ACTIONS] == ["404", "404", "404"]
    assert [outcome(outsider, video, a) for a in ACTIONS] == ["404", "404", "404"]
