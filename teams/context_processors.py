"""Nav data for every page: the workspace switcher and the notification bell.

Both are lazy, so pages that do not render the nav (and signed-out visitors) cost no query;
each costs one query when used.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from teams import selectors
from teams.workspaces import SESSION_KEY


def nav(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    session = getattr(request, "session", {})

    def workspaces() -> dict[str, Any]:
        teams = selectors.workspace_list_for_user(user=user)
        current = session.get(SESSION_KEY)
        # The session may name a team the person has since left: that means the personal space.
        current_id = current if any(pk == current for pk, _name in teams) else None
        return {"teams": teams, "current_id": current_id}

    return {
        "nav_workspaces": SimpleLazyObject(workspaces),
        "nav_unread": SimpleLazyObject(lambda: selectors.notification_unread_badge(user=user)),
    }
