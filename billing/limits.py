"""The single entry point for "may this account do X / how many" questions.

Every app asks here; nobody compares plan names. Until the billing issue adds plans and
subscriptions, every account is on the Free plan.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from config.errors import LimitReached


class Limit(models.TextChoices):
    VIDEOS_PER_MONTH = "videos_per_month", _("Videos per month")
    VERSIONS_KEPT = "versions_kept", _("Versions kept per video")
    UPLOAD_SIZE_MB = "upload_size_mb", _("Upload size (MB)")
    BRANDING = "branding", _("Logo branding")
    PRO_TEMPLATES = "pro_templates", _("Pro templates")
    EXPORT_BATCH_SIZE = "export_batch_size", _("Videos per batch export")
    TEAM_SEATS = "team_seats", _("Team seats")
    API_RATE_PER_HOUR = "api_rate_per_hour", _("API requests per hour")


# The Free plan's limits; None means unlimited, booleans gate a feature.
FREE_LIMITS: dict[str, int | bool | None] = {
    Limit.VIDEOS_PER_MONTH: 10,
    Limit.VERSIONS_KEPT: 5,
    Limit.UPLOAD_SIZE_MB: 100,
    Limit.BRANDING: False,
    Limit.PRO_TEMPLATES: False,
    Limit.EXPORT_BATCH_SIZE: 10,
    Limit.TEAM_SEATS: 3,
    Limit.API_RATE_PER_HOUR: 1000,
}


def plan_code_for(account: object) -> str:
    """The code of the plan the account (a user or a team) is on."""
    return "free"


def value(account: object, key: str) -> int | bool | None:
    """The account's limit for `key`: a number, a feature flag, or None for unlimited."""
    if key not in Limit.values:
        raise ValueError(f"Unknown limit {key!r}")
    return FREE_LIMITS[key]


def allows(account: object, key: str, *, used: int = 0, adding: int = 1) -> bool:
    """Whether the account may use a feature, or add `adding` more when `used` are in use."""
    limit = value(account, key)
    if isinstance(limit, bool):
        return limit
    return limit is None or used + adding <= limit


def check(account: object, key: str, *, used: int = 0, adding: int = 1) -> None:
    """Raise LimitReached, with a message naming the limit, when `allows` says no."""
    if not allows(account, key, used=used, adding=adding):
        limit = value(account, key)
        label = Limit(key).label
        if isinstance(limit, bool):
            raise LimitReached(
                _("Your plan does not include %(feature)s. Upgrade to use it.") % {"feature": label},
                code=f"limit_{key}",
            )
        raise LimitReached(
            _("You have reached your plan's limit of %(limit)s for %(feature)s. Upgrade for more.")
            % {"limit": limit, "feature": label},
            code=f"limit_{key}",
        )
