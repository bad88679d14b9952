from django import forms
from django.utils.translation import gettext_lazy as _

from billing.models import Interval, Plan


class CheckoutForm(forms.Form):
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.filter(is_public=True, is_default=False), to_field_name="code"
    )
    interval = forms.ChoiceField(label=_("Billing"), choices=Interval.choices, initial=Interval.MONTH)


class CouponForm(forms.Form):
    code = forms.CharField(label=_("Coupon code"), max_length=40)
