"""Who may do what with feature requests, comments and preview features: the table."""

import pytest

from config.errors import NotFound, PermissionDenied
from growth.permissions import (
    feature_comment_get_for_user,
    feature_request_get_for_user,
    preview_feature_get_for_user,
)
from growth.services.features import feature_comment_create
from growth.services.waitlist import feature_flag_enable
from tests.growth.factories import FeatureRequestFactory, PreviewFeatureFactory

pytestmark = pytest.mark.django_db


class Anonymous:
    is_authenticated = False
    is_staff = False
    pk = None


PEOPLE = ["anonymous", "creator", "outsider", "staff"]

# person -> action -> outcome on a live request
FEATURE_REQUEST_TABLE = {
    "anonymous": {"view": "ok", "vote": 403, "comment": 403, "moderate": 403},
    "creator": {"view": "ok", "vote": "ok", "comment": "ok", "moderate": 403},
    "outsider": {"view": "ok", "vote": "ok", "comment": "ok", "moderate": 403},
    "staff": {"view": "ok", "vote": "ok", "comment": "ok", "moderate": "ok"},
}


def _person(request, name):
    return Anonymous() if name == "anonymous" else request.getfixturevalue(name)


def _outcome(call) -> object:
    try:
        call()
    except NotFound:
        return 404
    except PermissionDenied:
        return 403
    return "ok"


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("action", ["view", "vote", "comment", "moderate"])
def test_feature_request_access(request, who, action):
    user = _person(request, who)
    feature_request = FeatureRequestFactory()
    outcome = _outcome(
        lambda: feature_request_get_for_user(user=user, feature_request_id=feature_request.pk, action=action)
    )
    assert outcome == FEATURE_REQUEST_TABLE[who][action]
    assert _outcome(lambda: feature_request_get_for_user(user=user, feature_request_id=0, action=action)) == 404


@pytest.mark.parametrize("action", ["vote", "comment"])
def test_a_merged_duplicate_takes_no_votes_or_comments(creator, action):
    feature_request = FeatureRequestFactory(merged_into=FeatureRequestFactory())
    assert _outcome(lambda: feature_request_get_for_user(user=creator, feature_request_id=feature_request.pk)) == "ok"
    outcome = _outcome(
        lambda: feature_request_get_for_user(user=creator, feature_request_id=feature_request.pk, action=action)
    )
    assert outcome == 403


@pytest.mark.parametrize(
    ("who", "expected"), [("anonymous", 404), ("creator", "ok"), ("outsider", 404), ("staff", "ok")]
)
def test_a_comment_is_deleted_by_its_author_or_staff_only(request, creator, who, expected):
    comment = feature_comment_create(feature_request=FeatureRequestFactory(), author=creator, body="Yes")
    user = _person(request, who)
    assert _outcome(lambda: feature_comment_get_for_user(user=user, comment_id=comment.pk)) == expected


@pytest.mark.parametrize(
    ("who", "join", "use"),
    [("anonymous", 404, 404), ("creator", "ok", "ok"), ("outsider", "ok", 404), ("staff", "ok", "ok")],
)
def test_preview_features_are_joined_by_anyone_signed_in_and_used_only_where_switched_on(
    request, creator, who, join, use
):
    PreviewFeatureFactory(key="ai-voiceover")
    feature_flag_enable(user=creator, key="ai-voiceover")
    user = _person(request, who)
    assert _outcome(lambda: preview_feature_get_for_user(user=user, key="ai-voiceover", action="join")) == join
    assert _outcome(lambda: preview_feature_get_for_user(user=user, key="ai-voiceover", action="use")) == use
    assert _outcome(lambda: preview_feature_get_for_user(user=user, key="nothing", action="join")) == 404
