"""The branding profiles API: CRUD, default, apply, and its refusals as JSON 4xx."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from billing.models import Plan
from tests.videos.conftest import stored_files
from tests.videos.media_tools import make_clip, make_image, make_logo, upload_of
from videos.models import BrandingProfile, VideoVersion
from videos.services import video_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def pro(db):
    Plan.objects.filter(is_default=True).update(branding=True)


def post_profile(api, tmp_path, **fields):
    logo = upload_of(make_logo(tmp_path / "logo.png"), "image/png")
    return api.post(reverse("api-branding-profile-list"), {"name": "Brand", "logo": logo, **fields}, format="multipart")


def test_profiles_are_created_listed_changed_and_deleted(
    creator_api, pro, tmp_path, django_capture_on_commit_callbacks
):
    created = post_profile(creator_api, tmp_path, position="top-left", opacity=60, scale=10, margin=8)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["position"] == "top-left" and body["opacity"] == 60 and body["is_default"] is True
    assert "&sig=" in body["logo_url"]  # signed and expiring, like every media URL

    listed = creator_api.get(reverse("api-branding-profile-list")).json()["results"]
    assert [p["id"] for p in listed] == [body["id"]]
    url = reverse("api-branding-profile-detail", args=[body["id"]])
    changed = creator_api.patch(url, {"opacity": 30, "position": "center"}, format="json")
    assert changed.status_code == 200 and changed.json()["opacity"] == 30
    bad = creator_api.patch(url, {"scale": 50}, format="json")
    assert bad.status_code == 400 and "scale" in bad.json()

    second = post_profile(creator_api, tmp_path, name="Second").json()
    made_default = creator_api.post(reverse("api-branding-profile-default", args=[second["id"]]))
    assert made_default.status_code == 200 and made_default.json()["is_default"] is True
    with django_capture_on_commit_callbacks(execute=True):
        assert creator_api.delete(url).status_code == 204
    assert list(BrandingProfile.objects.values_list("name", flat=True)) == ["Second"]


def test_a_profile_is_applied_to_a_video_as_a_new_version(
    creator_api, pro, creator, tmp_path, django_capture_on_commit_callbacks
):
    video = video_upload(user=creator, team=None, title="V", upload=upload_of(make_clip(tmp_path / "v.mp4")))
    profile = post_profile(creator_api, tmp_path).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = creator_api.post(
            reverse("api-branding-profile-apply", args=[profile["id"]]), {"video": video.pk}, format="json"
        )
    assert response.status_code == 202 and response.json()["number"] == 2
    assert video.versions.get(number=2).status == VideoVersion.Status.READY


def test_refusals_are_json_and_store_nothing(creator_api, outsider_api, pro, creator, outsider, tmp_path, media_root):
    gif = upload_of(make_image(tmp_path / "l.gif"), name="logo.png")
    response = creator_api.post(reverse("api-branding-profile-list"), {"name": "X", "logo": gif}, format="multipart")
    assert response.status_code == 400 and "logo" in response.json()
    response = post_profile(creator_api, tmp_path, opacity=150)
    assert response.status_code == 400 and "opacity" in response.json()
    assert creator_api.post(reverse("api-branding-profile-list"), {"name": "X"}, format="multipart").status_code == 400
    assert stored_files(media_root) == []

    theirs = video_upload(user=outsider, team=None, title="T", upload=upload_of(make_clip(tmp_path / "t.mp4")))
    mine = post_profile(creator_api, tmp_path).json()
    response = creator_api.post(
        reverse("api-branding-profile-apply", args=[mine["id"]]), {"video": theirs.pk}, format="json"
    )
    assert response.status_code == 404
    assert outsider_api.get(reverse("api-branding-profile-detail", args=[mine["id"]])).status_code == 404
    assert outsider_api.delete(reverse("api-branding-profile-detail", args=[mine["id"]])).status_code == 404
    assert default_storage.exists(BrandingProfile.objects.get().logo.name)


def test_a_free_plan_is_asked_to_upgrade(creator_api, tmp_path):
    response = post_profile(creator_api, tmp_path)
    assert response.status_code == 402 and response.json()["code"] == "limit_branding"


def test_a_logo_over_the_cap_is_dropped_while_it_arrives(creator_api, pro, tmp_path, media_root, monkeypatch):
    monkeypatch.setattr("videos.api.branding.LOGO_MAX_MB", 0)
    response = post_profile(creator_api, tmp_path)
    assert response.status_code == 400 and "logo" in response.json()
    assert stored_files(media_root) == [] and not BrandingProfile.objects.exists()
