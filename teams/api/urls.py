from django.urls import path

from teams.api import comment_views, push_views, team_views, views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="api-me"),
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("auth/tokens/", views.ApiTokenListView.as_view(), name="api-token-list"),
    path("auth/tokens/<int:pk>/", views.ApiTokenDetailView.as_view(), name="api-token-detail"),
    path("teams/", team_views.TeamListView.as_view(), name="api-team-list"),
    path("teams/<slug:slug>/", team_views.TeamDetailView.as_view(), name="api-team-detail"),
    path("teams/<slug:slug>/leave/", team_views.TeamLeaveView.as_view(), name="api-team-leave"),
    path("teams/<slug:slug>/members/", team_views.MemberListView.as_view(), name="api-member-list"),
    path("teams/<slug:slug>/members/<int:user_id>/", team_views.MemberDetailView.as_view(), name="api-member-detail"),
    path("teams/<slug:slug>/invitations/", team_views.InvitationListView.as_view(), name="api-invitation-list"),
    path(
        "teams/<slug:slug>/invitations/<int:pk>/resend/",
        team_views.InvitationResendView.as_view(),
        name="api-invitation-resend",
    ),
    path(
        "teams/<slug:slug>/invitations/<int:pk>/revoke/",
        team_views.InvitationRevokeView.as_view(),
        name="api-invitation-revoke",
    ),
    path("invitations/accept/", team_views.InvitationAcceptView.as_view(), name="api-invitation-accept"),
    path("invitations/mine/", team_views.MyInvitationListView.as_view(), name="api-invitation-mine"),
    path(
        "invitations/mine/<int:pk>/accept/",
        team_views.MyInvitationAcceptView.as_view(),
        name="api-invitation-mine-accept",
    ),
    path(
        "notifications/preferences/",
        team_views.NotificationPreferencesView.as_view(),
        name="api-notification-preferences",
    ),
    path("notifications/", team_views.NotificationListView.as_view(), name="api-notification-list"),
    path("notifications/read-all/", team_views.NotificationReadAllView.as_view(), name="api-notification-read-all"),
    path(
        "notifications/unread-count/",
        team_views.NotificationUnreadCountView.as_view(),
        name="api-notification-unread-count",
    ),
    path(
        "videos/<int:video_id>/comments/",
        comment_views.VideoCommentListView.as_view(),
        name="api-video-comment-list",
    ),
    path("comments/<int:pk>/", comment_views.CommentDetailView.as_view(), name="api-comment-detail"),
    path("comments/<int:pk>/resolve/", comment_views.CommentResolveView.as_view(), name="api-comment-resolve"),
    path("comments/<int:pk>/unresolve/", comment_views.CommentUnresolveView.as_view(), name="api-comment-unresolve"),
    path("push/subscriptions/", push_views.PushSubscriptionView.as_view(), name="api-push-subscriptions"),
    path("push/beacons/", push_views.PushBeaconView.as_view(), name="api-push-beacons"),
    path("notifications/<int:pk>/read/", team_views.NotificationReadView.as_view(), name="api-notification-read"),
]
