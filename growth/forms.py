from django import forms
from django.utils.translation import gettext_lazy as _

from growth.feature_models import FeatureRequest


class FeatureRequestForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=140, min_length=5)
    category = forms.ChoiceField(label=_("Category"), choices=FeatureRequest.Category.choices)
    description = forms.CharField(label=_("Description"), max_length=5000, required=False, widget=forms.Textarea)


class FeatureCommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReferralApplyForm(forms.Form):
    code = forms.CharField(label=_("Referral code"), max_length=24)


class BoardFilterForm(forms.Form):
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[("top", _("Top voted")), ("newest", _("Newest")), ("trending", _("Trending"))],
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *FeatureRequest.Status.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any category")), *FeatureRequest.Category.choices]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class EmailPreferencesForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("E-mails I want to get"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Account e-mails (verification, invitations, exports, receipts) are always sent."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        from growth.campaign_models import EmailCategory

        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = EmailCategory.choices
