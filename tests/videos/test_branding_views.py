"""The branding pages: list, create, edit, make default, delete, and "apply branding" on a video's page."""

import pytest
from django.test import Client
from django.urls import reverse

from billing.models import Plan
from teams.models import Membership
from teams.workspaces import SESSION_KEY
from tests.videos.conftest import stored_files
from tests.videos.media_tools import make_clip, make_image, make_logo, upload_of
from videos.models import BrandingProfile, VideoVersion
from videos.services import branding_profile_create, video_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def pro(db):
    Plan.objects.filter(is_default=True).update(branding=True)


def form_data(tmp_path, **fields):
    logo = upload_of(make_logo(tmp_path / "logo.png"), "image/png")
    return {"name": "Brand", "logo": logo, "position": "bottom-left", "opacity": 70, "scale": 12, "margin": 16,
            **fields}  # fmt: skip


def test_a_profile_is_created_edited_made_default_and_deleted_from_the_pages(
    creator_client, pro, tmp_path, django_capture_on_commit_callbacks
):
    response = creator_client.post(reverse("videos:branding_create"), form_data(tmp_path))
    assert response.status_code == 302
    first = BrandingProfile.objects.get()
    assert (first.position, first.opacity, first.scale, first.margin, first.is_default) == (
        "bottom-left", 70, 12, 16, True
    )  # fmt: skip
    page = creator_client.get(reverse("videos:branding")).content.decode()
    assert "Brand" in page and "&amp;sig=" in page  # the logo is shown through a signed URL

    edited = creator_client.post(
        reverse("videos:branding_edit", args=[first.pk]),
        {"name": "Renamed", "position": "center", "opacity": 40, "scale": 20, "margin": 0},
    )
    assert edited.status_code == 302
    first.refresh_from_db()
    assert (first.name, first.position, first.opacity) == ("Renamed", "center", 40)

    creator_client.post(reverse("videos:branding_create"), form_data(tmp_path, name="Second"))
    second = BrandingProfile.objects.get(name="Second")
    creator_client.post(reverse("videos:branding_default", args=[second.pk]))
    assert BrandingProfile.objects.get(is_default=True) == second
    with django_capture_on_commit_callbacks(execute=True):
        creator_client.post(reverse("videos:branding_delete", args=[second.pk]))
    assert list(BrandingProfile.objects.values_list("name", "is_default")) == [("Renamed", True)]


def test_the_form_shows_refusals_next_to_their_fields_and_stores_nothing(creator_client, pro, tmp_path, media_root):
    gif = upload_of(make_image(tmp_path / "l.gif"), name="logo.png")
    response = creator_client.post(reverse("videos:branding_create"), form_data(tmp_path, logo=gif))
    assert response.status_code == 200
    assert "This file is not an image we accept" in response.content.decode()
    response = creator_client.post(reverse("videos:branding_create"), form_data(tmp_path, scale=40))
    assert response.status_code == 200 and response.context["form"].errors["scale"]
    assert not BrandingProfile.objects.exists() and stored_files(media_root) == []


def test_a_free_plan_sees_the_upgrade_prompt_and_is_refused(creator_client, tmp_path):
    assert "Logo branding is part of Pro." in creator_client.get(reverse("videos:branding")).content.decode()
    response = creator_client.post(reverse("videos:branding_create"), form_data(tmp_path))
    assert response.status_code == 200 and "Upgrade to use it" in response.content.decode()


def test_team_editors_see_the_team_profiles_but_cannot_change_them(pro, tmp_path, creator, team, teammate):
    profile = branding_profile_create(
        actor=creator, team=team, name="Team", logo=upload_of(make_logo(tmp_path / "l.png"), "image/png")
    )
    client = Client()
    client.force_login(teammate)
    session = client.session
    session[SESSION_KEY] = team.pk
    session.save()
    page = client.get(reverse("videos:branding")).content.decode()
    assert "Team" in page and reverse("videos:branding_edit", args=[profile.pk]) not in page
    assert client.post(reverse("videos:branding_edit", args=[profile.pk]), {"name": "X"}).status_code == 403
    assert client.post(reverse("videos:branding_delete", args=[profile.pk])).status_code == 403
    assert BrandingProfile.objects.get().name == "Team"
    Membership.objects.filter(user=teammate).delete()
    assert client.post(reverse("videos:branding_delete", args=[profile.pk])).status_code == 404


def test_branding_is_applied_from_the_videos_page(
    creator_client, pro, creator, tmp_path, django_capture_on_commit_callbacks
):
    video = video_upload(user=creator, team=None, title="Clip", upload=upload_of(make_clip(tmp_path / "v.mp4")))
    profile = branding_profile_create(
        actor=creator, team=None, name="Mine", logo=upload_of(make_logo(tmp_path / "l.png"), "image/png")
    )
    page = creator_client.get(reverse("videos:detail", args=[video.pk])).content.decode()
    assert "Apply branding" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = creator_client.post(reverse("videos:branding_apply", args=[video.pk]), {"profile": profile.pk})
    assert response.status_code == 302
    assert video.versions.get(number=2).status == VideoVersion.Status.READY


def test_a_profile_of_someone_else_cannot_be_applied_from_the_page(creator_client, pro, creator, outsider, tmp_path):
    video = video_upload(user=creator, team=None, title="Clip", upload=upload_of(make_clip(tmp_path / "v.mp4")))
    theirs = branding_profile_create(
        actor=outsider, team=None, name="Theirs", logo=upload_of(make_logo(tmp_path / "l.png"), "image/png")
    )
    creator_client.post(reverse("videos:branding_apply", args=[video.pk]), {"profile": theirs.pk})
    assert video.versions.count() == 1
