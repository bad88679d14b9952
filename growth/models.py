# The growth domain's models (see DESIGN.md §2 "growth"); each concept keeps its own module.
from growth.experiments_models import (  # noqa: F401
    Experiment,
    ExperimentAssignment,
    ExperimentDashboard,
    ExperimentGoal,
    ExperimentVariant,
)
