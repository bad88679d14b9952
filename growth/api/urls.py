from django.urls import path

from growth.api.experiments import AssignmentListView, GoalCreateView

urlpatterns = [
    path("experiments/assignments/", AssignmentListView.as_view(), name="api-experiment-assignments"),
    path("experiments/goals/", GoalCreateView.as_view(), name="api-experiment-goals"),
]
