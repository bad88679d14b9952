from django.urls import path

from insights import engagement_views, views, webhook_views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("insights/player/<int:video_id>/view/", engagement_views.player_view_beacon, name="player-view-beacon"),
    path("insights/player/<int:video_id>/watch/", engagement_views.player_watch_beacon, name="player-watch-beacon"),
    path("webhooks/", webhook_views.webhook_endpoint_list, name="webhook-endpoint-list"),
    path("webhooks/<int:pk>/", webhook_views.webhook_endpoint_detail, name="webhook-endpoint-detail"),
    path("webhooks/<int:pk>/test/", webhook_views.webhook_endpoint_test, name="webhook-endpoint-test"),
    path("webhooks/<int:pk>/rotate-secret/", webhook_views.webhook_endpoint_rotate, name="webhook-endpoint-rotate"),
    path("webhooks/<int:pk>/toggle/", webhook_views.webhook_endpoint_toggle, name="webhook-endpoint-toggle"),
    path("webhooks/<int:pk>/delete/", webhook_views.webhook_endpoint_delete, name="webhook-endpoint-delete"),
    path(
        "webhooks/deliveries/<int:pk>/redeliver/",
        webhook_views.webhook_delivery_redeliver,
        name="webhook-delivery-redeliver",
    ),
]
