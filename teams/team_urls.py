"""Team, invitation, workspace, notification and video comment pages (account pages live in teams.urls)."""

from django.urls import path

from teams import views

urlpatterns = [
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/invitations/<int:pk>/accept/", views.invitation_accept_mine, name="invitation_accept_mine"),
    path("teams/<slug:slug>/", views.team_detail, name="team_detail"),
    path("teams/<slug:slug>/settings/", views.team_settings, name="team_settings"),
    path("teams/<slug:slug>/delete/", views.team_delete, name="team_delete"),
    path("teams/<slug:slug>/leave/", views.team_leave, name="team_leave"),
    path("teams/<slug:slug>/invitations/", views.invitation_create, name="invitation_create"),
    path("teams/<slug:slug>/invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("teams/<slug:slug>/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("teams/<slug:slug>/members/<int:user_id>/role/", views.member_role, name="member_role"),
    path("teams/<slug:slug>/members/<int:user_id>/remove/", views.member_remove, name="member_remove"),
    # Before the token pattern, which would take "pending" for a token.
    path("invitations/pending/", views.invitation_pending, name="invitation_pending"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("videos/<int:video_id>/comments/", views.comment_panel, name="comment_panel"),
    path("videos/<int:video_id>/comments/mentions/", views.comment_mention_suggestions, name="comment_mentions"),
    path("comments/<int:pk>/resolve/", views.comment_resolve, name="comment_resolve"),
    path("comments/<int:pk>/unresolve/", views.comment_unresolve, name="comment_unresolve"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment_delete"),
    path("workspace/", views.workspace_switch, name="workspace_switch"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read-all/", views.notification_mark_all_read, name="notification_mark_all_read"),
    path("notifications/<int:pk>/read/", views.notification_mark_read, name="notification_mark_read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
]
