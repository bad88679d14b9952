from django.urls import path

from growth import views

urlpatterns = [
    path("welcome/", views.onboarding, name="onboarding"),
]
