from django.urls import path

from insights import views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
]
