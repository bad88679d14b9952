"""The workspace a person is working in: their personal space, or one of their teams.

Pages that list or create things (videos, exports, schedules) scope them to this workspace.
"""

from django.http import HttpRequest

from config.errors import NotFound
from teams.models import Team
from teams.permissions import team_get_for_user

SESSION_KEY = "workspace_team_id"


def workspace_team_for_request(request: HttpRequest) -> Team | None:
    """The team chosen in this session if the user is still a member, else None (personal)."""
    team_id = request.session.get(SESSION_KEY)
    if not team_id or not request.user.is_authenticated:
        return None
    try:
        return team_get_for_user(user=request.user, team_id=team_id)
    except NotFound:
        # Removed from the team since choosing it: fall back to the personal space.
        request.session.pop(SESSION_KEY, None)
        return None


def workspace_switch(request: HttpRequest, *, team: Team | None) -> None:
    """Remember the chosen workspace for this session (None for the personal space)."""
    if team is None:
        request.session.pop(SESSION_KEY, None)
    else:
        request.session[SESSION_KEY] = team.pk
