"""Two requests at once still count one exposure and one goal (PostgreSQL unique indexes)."""

import pytest
from django.db import connection  # noqa: F401 (the skipif condition below reads it)

from growth.assignment import experiment_choose, experiment_live
from growth.experiments_models import ExperimentAssignment, ExperimentGoal
from growth.services.experiments import experiment_expose, experiment_goal_record
from insights.event_names import EventName
from insights.models import Event
from tests.concurrency import run_while_first_holds_the_lock
from tests.factories import UserFactory
from tests.growth.experiments import running_experiment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="waiting on a unique index needs PostgreSQL"),
]


def test_two_page_views_at_once_record_one_exposure():
    user = UserFactory()
    running_experiment()
    live = experiment_live("test_exp")
    variant = experiment_choose(live, hash_value=str(user.pk)).variant

    def expose() -> None:
        experiment_expose(experiment=live, variant=variant, user=user)

    assert run_while_first_holds_the_lock(expose, expose) == {"first": "ok", "second": "ok"}
    assert ExperimentAssignment.objects.filter(user=user).count() == 1
    assert Event.objects.filter(name=EventName.EXPERIMENT_EXPOSED, actor=user).count() == 1


def test_the_same_goal_posted_twice_at_once_is_recorded_once():
    user = UserFactory()
    experiment = running_experiment(goal_event=EventName.EXPERIMENT_CONVERTED)

    def post() -> None:
        experiment_goal_record(user=user, experiment=experiment, event_id="evt-42")

    assert run_while_first_holds_the_lock(post, post) == {"first": "ok", "second": "ok"}
    assert ExperimentGoal.objects.filter(user=user).count() == 1
    assert Event.objects.filter(name=EventName.EXPERIMENT_CONVERTED, actor=user).count() == 1
