from django.urls import path, re_path

from videos import branding_views, bulk_views, export_views, preview_views, publishing_views, views

app_name = "videos"

urlpatterns = [
    path("templates/", views.template_library, name="templates"),
    path("templates/<slug:slug>/", views.template_use, name="template_use"),
    path("templates/<slug:slug>/preview/", preview_views.template_preview, name="template_preview"),
    path("templates/<slug:slug>/many/", bulk_views.bulk_new, name="bulk_new"),
    re_path(
        r"^templates/(?P<slug>[-\w]+)/many/sheet\.(?P<kind>csv|xlsx)$", bulk_views.bulk_columns, name="bulk_columns"
    ),
    path("videos/", views.video_list, name="list"),
    path("videos/upload/", views.video_upload_view, name="upload"),
    path("videos/<int:pk>/", views.video_detail, name="detail"),
    path("videos/<int:pk>/status/", views.video_status, name="status"),
    path("videos/<int:pk>/edit/", views.video_edit_view, name="edit"),
    path("videos/<int:pk>/preview/", preview_views.video_preview, name="preview"),
    path("videos/<int:pk>/delete/", views.video_delete_view, name="delete"),
    path("videos/<int:pk>/retry/", views.video_retry_view, name="retry"),
    path("videos/<int:pk>/versions/", views.version_history, name="versions"),
    path("videos/<int:pk>/versions/<int:number>/restore/", views.version_restore_view, name="restore"),
    path("videos/<int:pk>/branding/", branding_views.branding_apply_view, name="branding_apply"),
    path("branding/", branding_views.branding_list, name="branding"),
    path("branding/new/", branding_views.branding_create, name="branding_create"),
    path("branding/<int:pk>/", branding_views.branding_edit, name="branding_edit"),
    path("branding/<int:pk>/delete/", branding_views.branding_delete, name="branding_delete"),
    path("branding/<int:pk>/default/", branding_views.branding_set_default, name="branding_default"),
    path("bulk/", bulk_views.bulk_list, name="bulk_list"),
    path("bulk/<int:pk>/", bulk_views.bulk_detail, name="bulk_detail"),
    path("bulk/<int:pk>/status/", bulk_views.bulk_status, name="bulk_status"),
    path("bulk/<int:pk>/start/", bulk_views.bulk_start_view, name="bulk_start"),
    path("bulk/<int:pk>/cancel/", bulk_views.bulk_cancel_view, name="bulk_cancel"),
    path("bulk/<int:pk>/retry/", bulk_views.bulk_retry_view, name="bulk_retry"),
    path("bulk/<int:pk>/export/", bulk_views.bulk_export_view, name="bulk_export"),
    path("bulk/<int:pk>/results.csv", bulk_views.bulk_results, name="bulk_results"),
    path("exports/", export_views.export_list, name="exports"),
    path("exports/start/", export_views.export_start_view, name="export_start"),
    path("exports/<int:pk>/", export_views.export_detail, name="export_detail"),
    path("exports/<int:pk>/status/", export_views.export_status, name="export_status"),
    path("exports/<int:pk>/cancel/", export_views.export_cancel_view, name="export_cancel"),
    path("videos/<int:pk>/publish/", publishing_views.publication_schedule_view, name="publication_schedule"),
    path("publishing/", publishing_views.publication_list, name="publications"),
    path("publishing/calendar/", publishing_views.publication_calendar, name="publication_calendar"),
    path("publishing/accounts/", publishing_views.publishing_accounts, name="publishing_accounts"),
    path(
        "publishing/accounts/<int:pk>/unlink/",
        publishing_views.publishing_account_unlink,
        name="publishing_account_unlink",
    ),
    path("publishing/<int:pk>/", publishing_views.publication_detail, name="publication_detail"),
    path("publishing/<int:pk>/cancel/", publishing_views.publication_cancel_view, name="publication_cancel"),
    path(
        "publishing/<int:pk>/reschedule/", publishing_views.publication_reschedule_view, name="publication_reschedule"
    ),
    path("publishing/<int:pk>/now/", publishing_views.publication_publish_now_view, name="publication_publish_now"),
    path("publishing/<int:pk>/retry/", publishing_views.publication_retry_view, name="publication_retry"),
    path(
        "publishing/<int:pk>/platforms/<int:target_pk>/confirm/",
        publishing_views.publication_target_confirm_view,
        name="publication_target_confirm",
    ),
]
