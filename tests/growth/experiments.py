"""Shared helpers for the experiment tests (not a test module)."""

from growth.experiments_models import Experiment
from growth.services.experiments import VariantSpec, experiment_create, experiment_start


def running_experiment(
    key: str = "test_exp",
    *,
    goal_event: str = "video.created",
    variants: tuple[tuple[str, float], ...] = (("control", 1.0), ("treatment", 1.0)),
    coverage: float = 1.0,
    minimum_detectable_effect: float = 0.10,
    guardrail_events: list[str] | None = None,
) -> Experiment:
    experiment = experiment_create(
        key=key,
        name=key.replace("_", " ").title(),
        goal_event=goal_event,
        variants=[VariantSpec(k, k.title(), w) for k, w in variants],
        actor=None,
        coverage=coverage,
        minimum_detectable_effect=minimum_detectable_effect,
        guardrail_events=guardrail_events,
    )
    return experiment_start(experiment=experiment, actor=None)


def start_seeded(key: str) -> Experiment:
    """Start one of the experiments the migration seeded as drafts."""
    return experiment_start(experiment=Experiment.objects.get(key=key), actor=None)
