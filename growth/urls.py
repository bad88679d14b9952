from django.urls import include, path

from growth import views

urlpatterns = [
    path("welcome/", views.onboarding, name="onboarding"),
    # Referrals, the feature board and preview features, under the "growth" namespace.
    path("", include("growth.community_urls")),
]
