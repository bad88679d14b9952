"""Retire the seeded REFERRAL20 coupon: anyone could type it on the billing page.

The referral discount is to be issued per referral (a coupon of the referee's own), so no
open-ended coupon is seeded any more. An unused REFERRAL20 is deleted; one already redeemed is
deactivated instead, so its redemptions (and the discounts they still give) stay on record.
"""

from django.db import migrations


def retire(apps, schema_editor):
    Coupon = apps.get_model("billing", "Coupon")
    CouponRedemption = apps.get_model("billing", "CouponRedemption")
    coupon = Coupon.objects.filter(code="REFERRAL20").first()
    if coupon is None:
        return
    if CouponRedemption.objects.filter(coupon=coupon).exists():
        Coupon.objects.filter(pk=coupon.pk).update(is_active=False)
    else:
        coupon.delete()


class Migration(migrations.Migration):
    dependencies = [("billing", "0004_backfill_video_usage")]

    operations = [migrations.RunPython(retire, migrations.RunPython.noop)]
