from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from videos.models import BrandingProfile, Template, Video
from videos.selectors import TEMPLATE_SORTS


class ColourInput(forms.TextInput):
    input_type = "color"


class TemplateFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All categories")), *Template.Category.choices]
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("popular", _("Most popular")),
            ("recent", _("Most recent")),
            ("duration", _("Shortest first")),
            ("-duration", _("Longest first")),
        ],
    )

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"sort": "popular"}
        data = self.cleaned_data
        sort = data.get("sort") or "popular"
        return {
            "search": data.get("q", ""),
            "tag": data.get("tag", ""),
            "category": data.get("category", ""),
            "sort": sort if sort in TEMPLATE_SORTS else "popular",
        }


class VideoFilterForm(forms.Form):
    q = forms.CharField(label=_("Search titles"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Video.Status.choices]
    )


class CustomizationForm(forms.Form):
    """Texts, colours and duration of a template's scenes (and its media slots when creating)."""

    def __init__(
        self,
        *args: Any,
        template: Template,
        initial_customization: dict | None = None,
        slots: bool = True,
        branding_profiles: Any = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.template = template
        custom = initial_customization or {}
        self._add_logo_field(branding_profiles, custom)
        texts = custom.get("texts") or []
        backgrounds = custom.get("backgrounds") or []
        scenes = template.scene_spec.get("scenes", [])
        self.scene_count = len(scenes)
        for index, scene in enumerate(scenes):
            number = index + 1
            self.fields[f"text_{index}"] = forms.CharField(
                label=_("Scene %(n)d text") % {"n": number},
                required=False,
                max_length=300,
                initial=texts[index] if index < len(texts) and texts[index] else scene.get("text", ""),
            )
            self.fields[f"background_{index}"] = forms.RegexField(
                label=_("Scene %(n)d background") % {"n": number},
                regex=r"^#[0-9a-fA-F]{6}\Z",
                required=False,
                initial=backgrounds[index]
                if index < len(backgrounds) and backgrounds[index]
                else scene.get("background"),
                widget=ColourInput,
                error_messages={"invalid": _("Enter a colour like #1e1b4b.")},
            )
        first = scenes[0] if scenes else {}
        self.fields["text_color"] = forms.RegexField(
            label=_("Text colour"),
            regex=r"^#[0-9a-fA-F]{6}\Z",
            required=False,
            initial=custom.get("text_color") or first.get("text_color", "#ffffff"),
            widget=ColourInput,
            error_messages={"invalid": _("Enter a colour like #ffffff.")},
        )
        self.fields["duration"] = forms.IntegerField(
            label=_("Duration (seconds)"),
            min_value=template.min_duration_seconds,
            max_value=template.max_duration_seconds,
            initial=custom.get("duration") or template.duration_seconds,
            help_text=_("Between %(min)d and %(max)d seconds.")
            % {"min": template.min_duration_seconds, "max": template.max_duration_seconds},
        )
        if slots:
            for slot in template.scene_spec.get("slots", []):
                self.fields[f"slot_{slot['key']}"] = forms.FileField(
                    label=slot.get("label") or slot["key"],
                    required=False,
                    help_text=_("Optional: an image (PNG, JPEG, WebP) or a short clip."),
                )

    def _add_logo_field(self, profiles: Any, custom: dict[str, Any]) -> None:
        """A "Logo" choice among the workspace's branding profiles (when its plan includes branding).

        Until the creator picks one, the video follows the workspace's default (the profile set to
        brand every new render), so leaving the choice alone stores nothing.
        """
        self._logo_chosen_before = "branding_profile" in custom
        if profiles is None or not profiles.exists():
            return
        if self._logo_chosen_before:
            self._logo_initial = custom["branding_profile"] or None
        else:
            default = profiles.filter(is_default=True, apply_to_new_renders=True).first()
            self._logo_initial = default.pk if default else None
        self.fields["branding_profile"] = forms.ModelChoiceField(
            label=_("Logo"),
            queryset=profiles,
            required=False,
            empty_label=_("No logo"),
            initial=self._logo_initial,
            help_text=_("One of your branding profiles, put on the video when it is rendered."),
        )

    def customization(self) -> dict[str, Any]:
        data = self.cleaned_data
        chosen = {
            "texts": [data.get(f"text_{i}", "") for i in range(self.scene_count)],
            "backgrounds": [data.get(f"background_{i}", "") for i in range(self.scene_count)],
            "text_color": data.get("text_color", ""),
            "duration": data["duration"],
        }
        if "branding_profile" in self.fields:
            profile = data.get("branding_profile")
            picked = profile.pk if profile else None
            if self._logo_chosen_before or picked != self._logo_initial:
                chosen["branding_profile"] = picked
        return chosen

    def preview_fields(self) -> str:
        """The fields a scene's preview reads, for htmx's hx-params (never the slot files)."""
        return ",".join(name for name in self.fields if not name.startswith("slot_") and name != "title")

    def slot_uploads(self) -> dict[str, Any]:
        return {
            name.removeprefix("slot_"): upload
            for name, upload in self.cleaned_data.items()
            if name.startswith("slot_") and upload
        }


class VideoCreateForm(CustomizationForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    field_order = ["title"]


class VideoEditForm(CustomizationForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    change_description = forms.CharField(label=_("What changed?"), required=False, max_length=300)
    field_order = ["title", "change_description"]


class VideoTitleForm(forms.Form):
    """The edit form of an uploaded video: only its title can change."""

    title = forms.CharField(label=_("Title"), max_length=200)


class VideoUploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    file = forms.FileField(label=_("Video file"), help_text=_("MP4, MOV, MKV or WebM."))

    def refuse_file(self, message: str) -> None:
        """The file was dropped while it arrived: say why, instead of "this field is required"."""
        self.fields["file"].required = False
        self.add_error("file", message)


class VersionCompareForm(forms.Form):
    a = forms.IntegerField(label=_("Version"), min_value=1)
    b = forms.IntegerField(label=_("with version"), min_value=1)


class TemplateImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or JSON file"),
        help_text=_(
            "Columns: slug, title, description, category, tags, duration_seconds, min_duration_seconds, "
            "max_duration_seconds, aspect_ratio, style, tier, scene_spec (JSON), and optionally title_es, "
            "description_es … for translations."
        ),
    )


class BrandingProfileForm(forms.Form):
    """A branding profile's settings; the logo is required when the profile is new."""

    name = forms.CharField(label=_("Name"), max_length=100)
    logo = forms.FileField(
        label=_("Logo"), help_text=_("PNG (transparency is kept), JPEG or WebP, at most 5 MB."), required=False
    )
    position = forms.ChoiceField(label=_("Position"), choices=BrandingProfile.Position.choices)
    opacity = forms.IntegerField(label=_("Opacity (%)"), min_value=0, max_value=100, initial=100)
    # xgettext:no-python-format (a literal percent sign, never filled in)
    scale = forms.IntegerField(label=_("Size (% of the video width)"), min_value=5, max_value=30, initial=15)
    margin = forms.IntegerField(label=_("Margin (pixels)"), min_value=0, max_value=500, initial=24)
    is_default = forms.BooleanField(label=_("Default profile"), required=False)
    apply_to_new_renders = forms.BooleanField(
        label=_("Apply to every new render"),
        required=False,
        help_text=_("When this is the default profile, its logo is put on every video rendered from now on."),
    )

    def __init__(self, *args: Any, new: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["logo"].required = new

    def refuse_logo(self, message: str) -> None:
        """The logo was dropped while it arrived: say why, instead of "this field is required"."""
        self.fields["logo"].required = False
        self.add_error("logo", message)

    def settings(self) -> dict[str, Any]:
        return {key: value for key, value in self.cleaned_data.items() if key != "logo"}


class BrandingApplyForm(forms.Form):
    profile = forms.ModelChoiceField(label=_("Branding profile"), queryset=BrandingProfile.objects.none())

    def __init__(self, *args: Any, profiles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["profile"].queryset = profiles


BULK_MEDIA_FIELDS = 8  # with the sheet, within DATA_UPLOAD_MAX_NUMBER_FILES (one file per field)


class BulkSheetForm(forms.Form):
    """A filled sheet (CSV or XLSX) or pasted rows, the media files it names, and the render quality."""

    sheet = forms.FileField(
        label=_("Sheet (CSV or XLSX)"),
        required=False,
        help_text=_("The first line names the columns; download the column template above."),
    )
    pasted = forms.CharField(
        label=_("…or paste rows"),
        required=False,
        max_length=1_000_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Copied from a spreadsheet (tab-separated) or CSV, with the header line first."),
    )
    quality = forms.ChoiceField(label=_("Quality"), choices=[("final", _("Final")), ("draft", _("Draft (faster)"))])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, BULK_MEDIA_FIELDS + 1):
            self.fields[f"media_{n}"] = forms.FileField(
                label=_("Media file %(n)d") % {"n": n},
                required=False,
                help_text=_("Name it in a media column by its file name, e.g. shoe.png.") if n == 1 else "",
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("sheet") and not (data.get("pasted") or "").strip():
            raise forms.ValidationError(_("Upload a sheet or paste rows."))
        return data

    def media_uploads(self) -> list[Any]:
        return [
            self.cleaned_data[f"media_{n}"]
            for n in range(1, BULK_MEDIA_FIELDS + 1)
            if self.cleaned_data.get(f"media_{n}")
        ]


class BulkStartForm(forms.Form):
    valid_only = forms.BooleanField(label=_("Start with the valid rows only"), required=False)
