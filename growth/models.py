# The growth domain's models (see DESIGN.md §2 "growth"); each concept keeps its own module.
from growth.campaign_models import *  # noqa: F403
from growth.experiments_models import (  # noqa: F401
    Experiment,
    ExperimentAssignment,
    ExperimentDashboard,
    ExperimentGoal,
    ExperimentVariant,
)
from growth.feature_models import *  # noqa: F403
from growth.referral_models import *  # noqa: F403
from growth.waitlist_models import *  # noqa: F403
