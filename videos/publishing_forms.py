"""Forms of scheduled publishing: when (in which zone) and where, with per-platform texts."""

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from videos.publishing_models import Platform, Privacy

FOLD_CHOICES = [
    ("", _("Not needed (the time happens once)")),
    ("0", _("The first time (before the clocks go back)")),
    ("1", _("The second time (after the clocks go back)")),
]


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class WhenForm(forms.Form):
    local_time = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices)
    fold = forms.ChoiceField(
        label=_("If that time happens twice (clocks go back)"), choices=FOLD_CHOICES, required=False
    )

    def clean_local_time(self) -> datetime | None:
        value = self.cleaned_data.get("local_time")
        # The wall-clock time as typed: the chosen zone, not the server's, gives it meaning.
        return value.replace(tzinfo=None) if value else None

    @property
    def fold_value(self) -> int | None:
        value = self.cleaned_data.get("fold")
        return int(value) if value in ("0", "1") else None


class ScheduleForm(WhenForm):
    publish_now = forms.BooleanField(label=_("Publish now instead"), required=False)

    def __init__(self, *args: Any, linked: set[str], video_title: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.linked = linked
        for platform, label in Platform.choices:
            disabled = platform not in linked
            self.fields[f"{platform}_on"] = forms.BooleanField(label=label, required=False, disabled=disabled)
            self.fields[f"{platform}_title"] = forms.CharField(
                label=_("Title"), max_length=200, required=False, initial=video_title
            )
            self.fields[f"{platform}_caption"] = forms.CharField(
                label=_("Caption"), required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            self.fields[f"{platform}_privacy"] = forms.ChoiceField(
                label=_("Privacy"), choices=Privacy.choices, initial=Privacy.PUBLIC, required=False
            )
            self.fields[f"{platform}_tags"] = forms.CharField(
                label=_("Tags (comma-separated)"), max_length=500, required=False
            )

    def platform_groups(self) -> list[dict[str, Any]]:
        return [
            {
                "platform": platform,
                "label": label,
                "linked": platform in self.linked,
                "fields": [self[f"{platform}_{name}"] for name in ("on", "title", "caption", "privacy", "tags")],
            }
            for platform, label in Platform.choices
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("publish_now") and not data.get("local_time"):
            self.add_error("local_time", _("Choose when to publish, or publish now."))
        return data

    def targets(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "platform": platform,
                "title": data.get(f"{platform}_title", ""),
                "caption": data.get(f"{platform}_caption", ""),
                "privacy": data.get(f"{platform}_privacy") or Privacy.PUBLIC,
                "tags": data.get(f"{platform}_tags", ""),
            }
            for platform in Platform.values
            if data.get(f"{platform}_on")
        ]


class FilterForm(forms.Form):
    platform = forms.ChoiceField(
        label=_("Platform"), choices=[("", _("All platforms")), *Platform.choices], required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from videos.publishing_models import Publication

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *Publication.Status.choices]
