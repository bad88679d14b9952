"""The one question pages and the API ask about preview features: is it on for this account?"""

from typing import Any

from growth.waitlist_models import FeatureFlag


def feature_enabled(user: Any, key: str) -> bool:
    """Whether `key` is switched on for `user` (staff always see previews; anonymous visitors never).

    Not cached on the user object: a flag switched on by a batch invitation counts at once.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff:
        return True
    return FeatureFlag.objects.filter(user=user, key=key).exists()
