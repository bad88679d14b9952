"""Pages of the teams app, split by subject."""

from teams.views.account import account_settings, api_token_create_page, api_token_revoke_page, language_set
from teams.views.comments import (
    comment_delete,
    comment_mention_suggestions,
    comment_panel,
    comment_resolve,
    comment_unresolve,
)
from teams.views.invitations import invitation_accept, invitation_accept_mine, invitation_pending
from teams.views.notifications import (
    notification_list,
    notification_mark_all_read,
    notification_mark_read,
    notification_open,
    notification_settings,
)
from teams.views.teams import (
    invitation_create,
    invitation_resend,
    invitation_revoke,
    member_remove,
    member_role,
    team_create,
    team_delete,
    team_detail,
    team_leave,
    team_list,
    team_settings,
    workspace_switch,
)

__all__ = [
    "account_settings",
    "api_token_create_page",
    "api_token_revoke_page",
    "comment_delete",
    "comment_mention_suggestions",
    "comment_panel",
    "comment_resolve",
    "comment_unresolve",
    "invitation_accept",
    "invitation_accept_mine",
    "invitation_create",
    "invitation_pending",
    "invitation_resend",
    "invitation_revoke",
    "language_set",
    "member_remove",
    "member_role",
    "notification_list",
    "notification_mark_all_read",
    "notification_mark_read",
    "notification_open",
    "notification_settings",
    "team_create",
    "team_delete",
    "team_detail",
    "team_leave",
    "team_list",
    "team_settings",
    "workspace_switch",
]
