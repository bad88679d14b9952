from django.urls import path

from growth import email_tracking_views, feature_views, referral_views, waitlist_views

app_name = "growth"

urlpatterns = [
    # Referrals
    path("r/<str:code>/", referral_views.referral_link, name="referral_link"),
    path("referrals/", referral_views.referrals, name="referrals"),
    path("referrals/apply/", referral_views.referral_apply_view, name="referral_apply"),
    # Feature requests
    path("features/", feature_views.board, name="board"),
    path("features/new/", feature_views.create, name="feature_new"),
    path("features/similar/", feature_views.similar, name="feature_similar"),
    path("features/<int:feature_request_id>/", feature_views.detail, name="feature_detail"),
    path("features/<int:feature_request_id>/vote/", feature_views.vote, name="feature_vote"),
    path("features/<int:feature_request_id>/comments/", feature_views.comment, name="feature_comment"),
    path("features/comments/<int:comment_id>/delete/", feature_views.comment_delete, name="feature_comment_delete"),
    # Waitlists
    path("preview/", waitlist_views.waitlists, name="waitlists"),
    path("preview/<slug:key>/", waitlist_views.preview, name="preview"),
    path("preview/<slug:key>/join/", waitlist_views.join, name="waitlist_join"),
    path("preview/<slug:key>/leave/", waitlist_views.leave, name="waitlist_leave"),
    # Marketing e-mail: the categories a person gets, and the signed links inside the mails
    path("email/preferences/", email_tracking_views.email_preferences, name="email_preferences"),
    path("email/o/<str:token>/", email_tracking_views.email_open, name="email_open"),
    path("email/c/<str:token>/", email_tracking_views.email_click, name="email_click"),
    path("email/unsubscribe/<str:token>/", email_tracking_views.email_unsubscribe_view, name="email_unsubscribe"),
]
