from django.urls import path

from growth.api import email_preferences, features, referrals, waitlist
from growth.api.experiments import AssignmentListView, GoalCreateView

urlpatterns = [
    path("experiments/assignments/", AssignmentListView.as_view(), name="api-experiment-assignments"),
    path("experiments/goals/", GoalCreateView.as_view(), name="api-experiment-goals"),
    # Referrals, feature requests, preview features (under /api/v1/growth/).
    path("growth/referral/", referrals.ReferralView.as_view(), name="api-growth-referral"),
    path("growth/referral/apply/", referrals.ReferralApplyView.as_view(), name="api-growth-referral-apply"),
    path("growth/features/", features.FeatureRequestListView.as_view(), name="api-growth-features"),
    path("growth/features/similar/", features.FeatureSimilarView.as_view(), name="api-growth-features-similar"),
    path(
        "growth/features/<int:feature_request_id>/",
        features.FeatureRequestDetailView.as_view(),
        name="api-growth-feature",
    ),
    path(
        "growth/features/<int:feature_request_id>/vote/",
        features.FeatureVoteView.as_view(),
        name="api-growth-feature-vote",
    ),
    path(
        "growth/features/<int:feature_request_id>/comments/",
        features.FeatureCommentListView.as_view(),
        name="api-growth-feature-comments",
    ),
    path("growth/preview-features/", waitlist.PreviewFeatureListView.as_view(), name="api-growth-previews"),
    path(
        "growth/preview-features/<slug:key>/waitlist/", waitlist.WaitlistJoinView.as_view(), name="api-growth-waitlist"
    ),
    path("growth/flags/<slug:key>/", waitlist.FeatureFlagView.as_view(), name="api-growth-flag"),
    path(
        "growth/email-preferences/",
        email_preferences.EmailPreferencesView.as_view(),
        name="api-growth-email-preferences",
    ),
]
