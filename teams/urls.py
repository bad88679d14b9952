from django.urls import path

from teams import views

urlpatterns = [
    path("settings/", views.account_settings, name="account_settings"),
    path("settings/notifications/", views.notification_settings, name="notification_settings"),
    path("settings/api-token/", views.api_token_reset, name="api_token_reset"),
    path("language/", views.language_set, name="language_set"),
]
