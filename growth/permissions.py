"""Who may do what with growth's objects; pages, the API and the admin all ask here."""

from django.db.models import Model

from config.errors import NotFound
from growth.experiments_models import Experiment


def experiment_get_for_user(*, user: Model, key: str, action: str = "goal") -> Experiment:
    """An experiment a signed-in person may post a goal for: one that is running. Else NotFound."""
    if action != "goal" or not getattr(user, "is_authenticated", False):
        raise NotFound()
    experiment = Experiment.objects.filter(key=key, status=Experiment.Status.RUNNING).first()
    if experiment is None:
        raise NotFound()
    return experiment
