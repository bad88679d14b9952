"""The experiments API: my assignments, goals posted once per event id, rate-limited, documented."""

import pytest
from django.urls import reverse

from growth.assignment import experiment_choose, experiment_live
from growth.experiments_models import ExperimentGoal
from growth.services.experiments import experiment_expose
from insights.event_names import EventName
from tests.factories import UserFactory
from tests.growth.experiments import running_experiment

pytestmark = pytest.mark.django_db

ASSIGNMENTS = "/api/v1/experiments/assignments/"
GOALS = "/api/v1/experiments/goals/"


def test_assignments_list_the_variant_of_every_live_experiment(creator_api, creator):
    experiment = running_experiment(goal_event=EventName.EXPERIMENT_CONVERTED)
    live = experiment_live(experiment.key)
    expected = experiment_choose(live, hash_value=str(creator.pk)).variant.key
    body = creator_api.get(ASSIGNMENTS).json()
    assert body == [
        {"experiment": "test_exp", "status": "running", "variant": expected, "in_experiment": True, "exposed": False}
    ]  # the seeded drafts are not listed


def test_assignments_cost_the_same_queries_for_many_experiments(creator_api, django_assert_max_num_queries):
    running_experiment("one")
    with django_assert_max_num_queries(10) as few:
        creator_api.get(ASSIGNMENTS)
    for n in range(5):
        running_experiment(f"more_{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(creator_api.get(ASSIGNMENTS).json()) == 6


def test_a_goal_is_recorded_once_per_event_id(creator_api, creator):
    experiment = running_experiment(goal_event=EventName.EXPERIMENT_CONVERTED)
    live = experiment_live(experiment.key)
    experiment_expose(
        experiment=live, variant=experiment_choose(live, hash_value=str(creator.pk)).variant, user=creator
    )
    first = creator_api.post(GOALS, {"experiment": "test_exp", "event_id": "order-1"}, format="json")
    again = creator_api.post(GOALS, {"experiment": "test_exp", "event_id": "order-1"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == {"experiment": "test_exp", "event_id": "order-1", "counted": True, "created": True}
    assert again.json()["created"] is False
    assert ExperimentGoal.objects.count() == 1


def test_a_goal_for_an_unknown_or_stopped_experiment_is_a_404(creator_api):
    assert creator_api.post(GOALS, {"experiment": "nope", "event_id": "x"}, format="json").status_code == 404
    # Seeded, but a draft.
    assert creator_api.post(GOALS, {"experiment": "signup_cta", "event_id": "x"}, format="json").status_code == 404
    assert creator_api.post(GOALS, {"experiment": "bad key!", "event_id": "x"}, format="json").status_code == 400


def test_another_persons_event_id_is_theirs(creator_api, outsider_api):
    running_experiment(goal_event=EventName.EXPERIMENT_CONVERTED)
    assert creator_api.post(GOALS, {"experiment": "test_exp", "event_id": "e"}, format="json").status_code == 201
    assert outsider_api.post(GOALS, {"experiment": "test_exp", "event_id": "e"}, format="json").status_code == 201


def test_the_api_needs_a_sign_in(api_client):
    assert api_client.get(ASSIGNMENTS).status_code == 401
    assert api_client.post(GOALS, {"experiment": "x", "event_id": "y"}, format="json").status_code == 401


def test_experiment_calls_are_rate_limited(api_client_for, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "experiments": "2/hour"},
    }
    client = api_client_for(UserFactory())
    assert [client.get(ASSIGNMENTS).status_code for _ in range(3)] == [200, 200, 429]


def test_the_endpoints_are_in_the_openapi_schema(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert {"/api/v1/experiments/assignments/", "/api/v1/experiments/goals/"} <= set(schema["paths"])
