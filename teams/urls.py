from django.urls import path

from teams import views

urlpatterns = [
    path("settings/", views.account_settings, name="account_settings"),
    path("settings/notifications/", views.notification_settings, name="notification_settings"),
    path("settings/api-tokens/", views.api_token_create_page, name="api_token_create"),
    path("settings/api-tokens/<int:pk>/revoke/", views.api_token_revoke_page, name="api_token_revoke"),
    path("language/", views.language_set, name="language_set"),
]
