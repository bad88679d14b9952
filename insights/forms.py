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
