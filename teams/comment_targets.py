"""What a comment thread is about, announced by the app that owns it.

Comments live in teams, but the thing they pin to (a video) belongs to another app, which
depends on teams and not the other way round. That app registers one lookup at start-up
(`VideosConfig.ready`); comment pages, the API and the services fetch the target through
`teams.permissions.comment_target_get_for_user`, which calls that lookup, so teams never reaches
into the app whose objects it annotates.
"""

from typing import Any, Protocol

from teams.models import User


class CommentTarget(Protocol):
    """The fields of a commented object that comments read (the `Comment.video` model fits)."""

    pk: Any
    title: str
    owner: User
    owner_id: int
    team_id: int | None
    duration_seconds: float | None


class CommentTargetLookup(Protocol):
    """Fetch target `target_id` if `user` may do `action` on it; raise the domain NotFound otherwise."""

    def __call__(self, *, user: User, target_id: int, action: str) -> CommentTarget: ...


_lookup: CommentTargetLookup | None = None


def comment_target_register(lookup: CommentTargetLookup) -> None:
    """Install the access-checked fetch of a comment target; its owning app calls this once in `ready()`."""
    global _lookup
    _lookup = lookup


def comment_target_lookup() -> CommentTargetLookup:
    """The registered lookup; `teams.permissions.comment_target_get_for_user` is the one caller."""
    if _lookup is None:
        # A wiring mistake, not a user error: the owning app is missing from INSTALLED_APPS or its ready().
        raise RuntimeError("No comment target is registered; the app that owns it must call comment_target_register.")
    return _lookup
