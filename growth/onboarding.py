"""The onboarding tour a new account sees after signup, in the two lengths the experiment compares."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ONBOARDING_EXPERIMENT = "onboarding_steps"
SHORT_VARIANT = "three_steps"


@dataclass(frozen=True)
class Step:
    title: Promise
    text: Promise


FIVE_STEPS = (
    Step(_("Welcome to Video Creator"), _("Short videos for every platform, from a template, in minutes.")),
    Step(_("Pick a template"), _("Reels, tutorials, quotes, explainers: each in the right aspect ratio.")),
    Step(_("Make it yours"), _("Change the texts and colours, add your media, and put your logo on it.")),
    Step(_("Render and keep versions"), _("Every render is a version you can compare and restore.")),
    Step(_("Publish on schedule"), _("Choose a time and the platforms; we publish for you.")),
)
THREE_STEPS = (
    Step(_("Pick a template"), _("Reels, tutorials, quotes, explainers: each in the right aspect ratio.")),
    Step(_("Make it yours"), _("Change the texts and colours, add your media, and put your logo on it.")),
    Step(_("Publish on schedule"), _("Choose a time and the platforms; we publish for you.")),
)


def onboarding_steps(variant: str) -> tuple[Step, ...]:
    """The tour for the experiment's variant; control (and no experiment) is the five-step tour."""
    return THREE_STEPS if variant == SHORT_VARIANT else FIVE_STEPS
