"""The ops console's branding profiles: changed, made default and deleted through the services."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from billing.models import Plan
from tests.videos.media_tools import make_logo, upload_of
from videos.models import BrandingProfile
from videos.services import branding_profile_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def profiles(creator, tmp_path):
    Plan.objects.filter(is_default=True).update(branding=True)

    def make(name):
        logo = upload_of(make_logo(tmp_path / f"{name}.png"), "image/png")
        return branding_profile_create(actor=creator, team=None, name=name, logo=logo)

    return make("First"), make("Second")


def change(staff_client, profile, **fields):
    data = {"name": profile.name, "position": profile.position, "opacity": profile.opacity, "scale": profile.scale,
            "margin": profile.margin, "is_default": "on" if profile.is_default else "", **fields}  # fmt: skip
    return staff_client.post(reverse("admin:videos_brandingprofile_change", args=[profile.pk]), data)


def test_staff_change_a_profile_through_the_service_and_see_refusals(staff_client, profiles):
    first, second = profiles
    assert staff_client.get(reverse("admin:videos_brandingprofile_changelist")).status_code == 200
    assert change(staff_client, second, opacity=35, is_default="on").status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.opacity == 35 and second.is_default and not first.is_default  # one default, as the service keeps

    response = change(staff_client, second, scale=45)
    assert response.status_code == 200 and response.context["adminform"].form.errors
    Plan.objects.filter(is_default=True).update(branding=False)
    response = change(staff_client, second, opacity=10)
    assert response.status_code == 200 and "Upgrade to use it" in response.content.decode()
    second.refresh_from_db()
    assert (second.scale, second.opacity) == (15, 35)


def test_staff_delete_profiles_with_their_logos(staff_client, profiles, django_capture_on_commit_callbacks):
    names = [profile.logo.name for profile in profiles]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:videos_brandingprofile_changelist"),
            {"action": "delete_with_logos", "_selected_action": [p.pk for p in profiles]},
        )
    assert response.status_code == 302
    assert not BrandingProfile.objects.exists() and not any(default_storage.exists(name) for name in names)
