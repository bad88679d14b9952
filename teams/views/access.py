"""The page-side face of `teams.permissions.team_get_for_user`: domain refusals become HTTP ones."""

from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.http import Http404, HttpRequest

from config.errors import NotFound, PermissionDenied
from teams.models import Team
from teams.permissions import Action, team_get_for_user


def team_for_page(
    request: HttpRequest, slug: str | None = None, action: str = Action.VIEW, *, team_id: int | None = None
) -> Team:
    """The team for this page, or 404 for non-members and 403 for members lacking the role."""
    try:
        return team_get_for_user(user=request.user, slug=slug, team_id=team_id, action=action)
    except NotFound as exc:
        raise Http404 from exc
    except PermissionDenied as exc:
        raise HttpPermissionDenied(str(exc.message)) from exc
