"""Who may do what with growth's objects; pages, the API and the admin all ask here."""

from typing import Any

from django.db.models import Model

from config.errors import NotFound, PermissionDenied
from growth.experiments_models import Experiment
from growth.feature_models import FeatureComment, FeatureRequest
from growth.flags import feature_enabled
from growth.waitlist_models import PreviewFeature


def experiment_get_for_user(*, user: Model, key: str, action: str = "goal") -> Experiment:
    """An experiment a signed-in person may post a goal for: one that is running. Else NotFound."""
    if action != "goal" or not getattr(user, "is_authenticated", False):
        raise NotFound()
    experiment = Experiment.objects.filter(key=key, status=Experiment.Status.RUNNING).first()
    if experiment is None:
        raise NotFound()
    return experiment


# --- Feature requests, comments, preview features (referrals / waitlist) ------------------------

FEATURE_ACTIONS = ("view", "vote", "comment", "moderate")


def feature_request_get_for_user(*, user: Any, feature_request_id: int, action: str = "view") -> FeatureRequest:
    """A request on the public board: anyone may view; signed-in people vote and comment; staff moderate.

    A merged duplicate can still be viewed (it points to the request kept) but takes no new votes or comments.
    """
    if action not in FEATURE_ACTIONS:
        raise ValueError(f"Unknown action {action!r}")
    feature_request = (
        FeatureRequest.objects.select_related("author", "merged_into").filter(pk=feature_request_id).first()
    )
    if feature_request is None:
        raise NotFound()
    if action == "view":
        return feature_request
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied()
    if action == "moderate" and not user.is_staff:
        raise PermissionDenied()
    if action in ("vote", "comment") and feature_request.merged_into_id is not None:
        raise PermissionDenied()
    return feature_request


def feature_comment_get_for_user(*, user: Any, comment_id: int, action: str = "delete") -> FeatureComment:
    """A comment its author (or staff) may delete; anyone else's comment is NotFound."""
    if action != "delete":
        raise ValueError(f"Unknown action {action!r}")
    comment = FeatureComment.objects.filter(pk=comment_id).first()
    if comment is None or not getattr(user, "is_authenticated", False):
        raise NotFound()
    if comment.author_id != user.pk and not user.is_staff:
        raise NotFound()
    return comment


def preview_feature_get_for_user(*, user: Any, key: str, action: str = "join") -> PreviewFeature:
    """A preview feature: "join" its open waitlist (signed in), or "use" it (switched on for the account).

    A feature that is not switched on for the person is NotFound to "use", so its page is a 404.
    """
    feature = PreviewFeature.objects.filter(key=key).first()
    if feature is None or not getattr(user, "is_authenticated", False):
        raise NotFound()
    if action == "use":
        if not feature_enabled(user, feature.key):
            raise NotFound()
        return feature
    if action == "join":
        if not feature.is_open and not feature_enabled(user, feature.key):
            raise NotFound()
        return feature
    raise ValueError(f"Unknown action {action!r}")
