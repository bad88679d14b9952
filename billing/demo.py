"""Demo billing data: a welcome coupon the demo creator can try on the billing page.

The demo creator is on Free with a free month of Pro from a credit (the videos demo grants it to
show branding), which ends by itself: the upgrade (manual provider), cancel and resume flows can be
tried by hand; the plans themselves come from billing's data migration.
"""

from billing.models import Coupon


def load(*, creator: object, staff: object) -> None:
    Coupon.objects.get_or_create(
        code="WELCOME10",
        defaults={
            "name": "Welcome: 10 % off for three months",
            "percent_off": 10,
            "duration": Coupon.Duration.REPEATING,
            "duration_in_months": 3,
            "max_redemptions": 100,
        },
    )
