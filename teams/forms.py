import zoneinfo

from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from teams.models import Comment, Membership, User

TIME_ZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class LoginForm(AllauthLoginForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-mail")
        self.fields["login"].widget.attrs["placeholder"] = _("you@example.com")
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs["placeholder"] = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me signed in")


class SignupForm(AllauthSignupForm):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail")
        self.fields["email"].widget.attrs["placeholder"] = _("you@example.com")
        self.fields["password1"].label = _("Password")
        self.fields["password1"].widget.attrs["placeholder"] = ""
        if "password2" in self.fields:
            self.fields["password2"].label = _("Password (again)")
            self.fields["password2"].widget.attrs["placeholder"] = ""


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)

    class Meta:
        model = User
        fields = ["display_name", "language", "time_zone", "country"]


class TeamForm(forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=80)
    language = forms.ChoiceField(
        label=_("Language of the team's e-mails"),
        choices=settings.LANGUAGES,
        initial="en",
        help_text=_("Invitations are written in this language."),
    )


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"placeholder": _("name@example.com")})
    )
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.VIEWER)

    def __init__(self, *args: object, roles: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = [(r, label) for r, label in Membership.Role.choices if r in roles]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class NotificationPreferencesForm(forms.Form):
    """One row per kind, one column per channel (the page lays the three fields out as a table)."""

    in_app_kinds = forms.MultipleChoiceField(
        label=_("Show in my inbox"), required=False, widget=forms.CheckboxSelectMultiple
    )
    email_kinds = forms.MultipleChoiceField(
        label=_("E-mail me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ticked kinds are e-mailed too."),
    )
    push_kinds = forms.MultipleChoiceField(
        label=_("Browser notifications"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: object, kinds: list[tuple[str, str]], push_kinds: list[str] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["in_app_kinds"].choices = kinds
        self.fields["email_kinds"].choices = kinds
        pushable = set(push_kinds or [])
        self.fields["push_kinds"].choices = [(kind, label) for kind, label in kinds if kind in pushable]


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=Comment.BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Add a comment… type @ to mention someone")}),
    )
    timestamp_seconds = forms.FloatField(
        label=_("At (seconds)"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0"}),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        help_text=_("What the token is for, e.g. “Deploy script”."),
    )
    expires_in_days = forms.TypedChoiceField(label=_("Expires after"), coerce=int, initial=90)

    def __init__(self, *args: object, **kwargs: object) -> None:
        from teams.services.tokens import DEFAULT_TOKEN_LIFETIME_DAYS, TOKEN_LIFETIME_DAYS

        super().__init__(*args, **kwargs)
        field = self.fields["expires_in_days"]
        # Built per form, in the reader's language.
        field.choices = [
            (days, ngettext("%(count)d day", "%(count)d days", days) % {"count": days}) for days in TOKEN_LIFETIME_DAYS
        ]
        field.initial = DEFAULT_TOKEN_LIFETIME_DAYS
