from django import forms
from django.utils.translation import gettext_lazy as _

from insights.event_names import PUBLIC_EVENTS, EventName


def event_choices() -> list[tuple[str, str]]:
    return [(name, f"{name} — {EventName(name).label}") for name in PUBLIC_EVENTS]


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("Endpoint URL"), max_length=2000, assume_scheme="https", help_text=_("HTTPS only; we POST JSON to it.")
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label=_("Events to send"), choices=event_choices, widget=forms.CheckboxSelectMultiple
    )


class NpsAnswerForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How likely are you to recommend Video Creator to a friend or colleague?"),
        choices=[(n, str(n)) for n in range(11)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("What is the main reason for your score? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SupportRequestForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"))
    subject = forms.CharField(label=_("Subject"), max_length=140)
    message = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    screenshot = forms.FileField(
        label=_("Screenshot (optional)"),
        required=False,
        help_text=_("A PNG, JPEG or WebP image, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    page_url = forms.CharField(required=False, max_length=300, widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from insights.support_models import SupportRequest

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *SupportRequest.Category.choices]

    def refuse_screenshot(self, message: str) -> None:
        self.add_error("screenshot", message)


class SupportReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}))
