from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrowthConfig(AppConfig):
    name = "growth"
    verbose_name = _("Growth")

    def ready(self) -> None:
        from growth import (
            receivers,  # noqa: F401 (connects the signup and payment receivers)
            signals,  # noqa: F401 (connects the signup receiver)
        )
