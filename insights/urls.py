from django.urls import path

from insights import engagement_views, nps_views, prometheus_views, status_views, support_views, views, webhook_views

urlpatterns = [
    path("status/", status_views.status_page, name="status"),
    path("status/feed.rss", status_views.IncidentFeed(), name="status-feed-rss"),
    path("status/feed.atom", status_views.IncidentAtomFeed(), name="status-feed-atom"),
    path("status/confirm/<str:token>/", status_views.status_confirm, name="status-confirm"),
    path("status/unsubscribe/<str:token>/", status_views.status_unsubscribe_view, name="status-unsubscribe"),
    path("metrics", prometheus_views.metrics, name="metrics"),
    path("insights/player/<int:video_id>/view/", engagement_views.player_view_beacon, name="player-view-beacon"),
    path("insights/player/<int:video_id>/watch/", engagement_views.player_watch_beacon, name="player-watch-beacon"),
    path("dashboard/", views.dashboard, name="dashboard"),
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
    path("survey/", nps_views.nps_answer_page, name="nps-answer"),
    path("survey/prompt/", nps_views.nps_prompt, name="nps-prompt"),
    path("survey/dismiss/", nps_views.nps_dismiss_view, name="nps-dismiss"),
    path("support/", support_views.support_list, name="support-list"),
    path("support/new/", support_views.support_new, name="support-new"),
    path("support/<int:pk>/", support_views.support_detail, name="support-detail"),
]
