from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = _("Teams and people")

    def ready(self) -> None:
        from teams import checks, signals  # noqa: F401 (registers the system checks; connects allauth's receivers)
