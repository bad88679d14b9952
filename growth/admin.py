# Each part of growth registers its own admins.
from growth import (  # noqa: F401
    campaigns_admin,
    experiments_admin,
    features_admin,
    referrals_admin,
    waitlist_admin,
)
