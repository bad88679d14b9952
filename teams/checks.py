"""System checks of the teams app: web push must have a usable VAPID key pair when it is on."""

from typing import Any

from django.core.checks import CheckMessage, Error, register
from django.core.exceptions import ImproperlyConfigured

from teams.push_keys import push_enabled, vapid_keys


@register("teams", deploy=True)
def vapid_keys_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not push_enabled():
        return []
    try:
        vapid_keys()
    except (ImproperlyConfigured, ValueError) as exc:
        return [
            Error(
                f"Web push is on but its VAPID keys are not usable: {exc}",
                hint="Generate a pair with `python manage.py vapid_keys`, or set WEB_PUSH_ENABLED=false.",
                id="teams.E001",
            )
        ]
    return []
