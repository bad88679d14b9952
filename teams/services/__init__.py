"""Writes for the teams app. Views, the API, admin actions and tasks all call these.

Split by subject; import from `teams.services` as before.
"""

from teams.services.accounts import (
    user_destroy,
    user_update_preferences,
)
from teams.services.comments import (
    comment_clean_body,
    comment_create,
    comment_delete,
    comment_resolve,
    comment_unresolve,
    comment_update,
)
from teams.services.emails import (
    MAX_SEND_ATTEMPTS,
    STALE_QUEUED_AFTER,
    email_deliver,
    email_queue,
    email_render,
    emails_erase_abandoned,
    emails_requeue_stale,
    emails_resend_failed,
)
from teams.services.invitations import (
    INVITATION_VALID_FOR,
    invitation_accept,
    invitation_create,
    invitation_get_by_token,
    invitation_get_by_token_hash,
    invitation_refusal,
    invitation_resend,
    invitation_revoke,
)
from teams.services.memberships import (
    membership_add,
    membership_change_role,
    membership_remove,
    seats_used,
    team_create,
    team_delete,
    team_update,
)
from teams.services.notifications import (
    emailable_kinds,
    notification_email_enabled,
    notification_email_kinds_for,
    notification_mark_all_read,
    notification_mark_read,
    notification_preference_set,
    notification_preferences_save,
    notification_send,
)
from teams.services.tokens import (
    MAX_TOKENS_PER_USER,
    TOKEN_LIFETIME_DAYS,
    api_token_create,
    api_token_revoke,
    api_tokens_revoke_all,
)

__all__ = [
    "INVITATION_VALID_FOR",
    "MAX_SEND_ATTEMPTS",
    "MAX_TOKENS_PER_USER",
    "STALE_QUEUED_AFTER",
    "TOKEN_LIFETIME_DAYS",
    "api_token_create",
    "api_token_revoke",
    "api_tokens_revoke_all",
    "comment_clean_body",
    "comment_create",
    "comment_delete",
    "comment_resolve",
    "comment_unresolve",
    "comment_update",
    "email_deliver",
    "email_queue",
    "email_render",
    "emailable_kinds",
    "emails_erase_abandoned",
    "emails_requeue_stale",
    "emails_resend_failed",
    "invitation_accept",
    "invitation_create",
    "invitation_get_by_token",
    "invitation_get_by_token_hash",
    "invitation_refusal",
    "invitation_resend",
    "invitation_revoke",
    "membership_add",
    "membership_change_role",
    "membership_remove",
    "notification_email_enabled",
    "notification_email_kinds_for",
    "notification_mark_all_read",
    "notification_mark_read",
    "notification_preference_set",
    "notification_preferences_save",
    "notification_send",
    "seats_used",
    "team_create",
    "team_delete",
    "team_update",
    "user_destroy",
    "user_update_preferences",
]
