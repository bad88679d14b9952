"""The growth demo starts the three experiments and gives the dashboard numbers to show."""

import pytest
from django.urls import reverse

from growth.analysis import experiment_list_running, experiment_results
from growth.demo import load_experiments
from growth.experiments_models import ExperimentAssignment

pytestmark = pytest.mark.django_db


def test_the_demo_runs_the_experiments_with_traffic_and_is_idempotent(creator, staff, staff_client):
    load_experiments(creator=creator, staff=staff)
    count = ExperimentAssignment.objects.count()
    load_experiments(creator=creator, staff=staff)
    assert ExperimentAssignment.objects.count() == count > 900
    results = experiment_results(experiments=experiment_list_running())
    assert {r.experiment.key for r in results} == {"signup_cta", "onboarding_steps", "pricing_annual"}
    assert all(sum(v.conversions for v in r.variants) > 0 for r in results)
    page = staff_client.get(reverse("admin:growth_experimentdashboard_changelist")).content.decode()
    assert "Signup call to action" in page


def test_the_demo_loader_is_listed(settings):
    assert settings.DEMO_LOADERS[-1] == "growth.demo.load_experiments"
