"""Branding profiles: who may use and change them, the Pro check, the logo check, one default."""

from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from billing.models import Plan
from config.errors import DomainError, LimitReached, NotFound, PermissionDenied
from teams.permissions import Action
from teams.services import team_delete, user_destroy
from tests.videos.conftest import stored_files
from tests.videos.factories import TemplateFactory
from tests.videos.media_tools import frame_rgb, make_clip, make_image, make_logo, near, pixel, upload_of
from videos.models import BrandingProfile, VideoVersion
from videos.permissions import branding_profile_get_for_user
from videos.services import (
    branding_apply,
    branding_profile_create,
    branding_profile_delete,
    branding_profile_set_default,
    branding_profile_update,
    video_create_from_template,
    video_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pro(db):
    Plan.objects.filter(is_default=True).update(branding=True)


@pytest.fixture
def logo(tmp_path):
    return upload_of(make_logo(tmp_path / "logo.png"), "image/png")


def create(actor, logo, *, team=None, **fields):
    return branding_profile_create(actor=actor, team=team, name=fields.pop("name", "Logo"), logo=logo, **fields)


# person -> (view, edit, delete) on a team's profile
TEAM_EXPECTED = {
    "creator": ("ok", "ok", "ok"),  # owner
    "team_admin": ("ok", "ok", "ok"),
    "teammate": ("ok", "403", "403"),  # editor: may apply it, not change it
    "team_viewer": ("ok", "403", "403"),
    "outsider": ("404", "404", "404"),
    "staff": ("404", "404", "404"),  # the ops console, not the pages, is where staff act
}


def outcome(user, profile, action) -> str:
    try:
        branding_profile_get_for_user(user=user, profile_id=profile.pk, action=action)
    except NotFound:
        return "404"
    except PermissionDenied:
        return "403"
    return "ok"


@pytest.mark.parametrize("person", list(TEAM_EXPECTED))
def test_team_profile_access_table(
    person, request, pro, logo, creator, team, team_admin, teammate, team_viewer, outsider, staff
):
    profile = create(creator, logo, team=team)
    user = request.getfixturevalue(person)
    actions = [Action.VIEW, Action.EDIT, Action.DELETE]
    assert tuple(outcome(user, profile, action) for action in actions) == TEAM_EXPECTED[person]


def test_a_personal_profile_is_its_owners_alone(pro, logo, creator, team, teammate, outsider):
    profile = create(creator, logo)
    assert outcome(creator, profile, Action.EDIT) == "ok"
    assert outcome(teammate, profile, Action.VIEW) == "404" and outcome(outsider, profile, Action.VIEW) == "404"


def test_only_team_owners_and_admins_create_team_profiles(pro, tmp_path, creator, team, team_admin, teammate):
    png = make_logo(tmp_path / "l.png")
    assert create(team_admin, upload_of(png, "image/png"), team=team).team == team
    with pytest.raises(PermissionDenied):
        create(teammate, upload_of(png, "image/png"), team=team)
    assert BrandingProfile.objects.count() == 1


def test_branding_needs_a_plan_that_includes_it_and_stores_nothing_without(logo, creator, media_root):
    with pytest.raises(LimitReached) as refused:
        create(creator, logo)
    assert refused.value.code == "limit_branding"
    assert not BrandingProfile.objects.exists() and stored_files(media_root) == []


@pytest.mark.parametrize("extension", [".png", ".jpg", ".webp"])
def test_png_jpeg_and_webp_logos_are_accepted(extension, pro, creator, tmp_path):
    image = make_image(tmp_path / f"logo{extension}", size="48x24", colour="red")
    profile = create(creator, upload_of(image, "application/octet-stream", name="whatever.bin"))
    assert (profile.logo_width, profile.logo_height) == (48, 24)
    assert profile.logo.name.endswith({".png": ".png", ".jpg": ".jpg", ".webp": ".webp"}[extension])


@pytest.mark.parametrize("kind", ["clip", "text", "gif"])
def test_other_files_are_refused_as_logos_with_a_clear_error(kind, pro, creator, tmp_path, media_root):
    if kind == "clip":
        upload = upload_of(make_clip(tmp_path / "c.mp4"), name="logo.png")
    elif kind == "gif":
        upload = upload_of(make_image(tmp_path / "l.gif"), name="logo.png")
    else:
        upload = SimpleUploadedFile("logo.png", b"<svg xmlns='http://www.w3.org/2000/svg'/>")
    with pytest.raises(DomainError) as refused:
        create(creator, upload)
    assert refused.value.field == "logo"
    assert str(refused.value.message) == "This file is not an image we accept. Upload a PNG, JPEG or WebP image."
    assert not BrandingProfile.objects.exists() and stored_files(media_root) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("opacity", 101), ("opacity", -1), ("scale", 4), ("scale", 31), ("margin", 501), ("position", "middle"),
     ("scale", "ten"), ("name", " ")],
)  # fmt: skip
def test_settings_out_of_range_are_refused_on_their_field(field, value, pro, logo, creator, media_root):
    with pytest.raises(DomainError) as refused:
        create(creator, logo, **{field: value})
    assert refused.value.field == field
    assert stored_files(media_root) == []


def test_an_account_has_one_default_and_keeps_one_while_it_has_profiles(pro, tmp_path, creator):
    def png():
        return upload_of(make_logo(tmp_path / "l.png"), "image/png")

    first = create(creator, png(), name="First")
    second = create(creator, png(), name="Second")
    assert first.is_default and not second.is_default  # the first profile is the default

    branding_profile_set_default(profile=second, actor=creator)
    first.refresh_from_db()
    assert not first.is_default
    third = create(creator, png(), name="Third", is_default=True)
    assert list(BrandingProfile.objects.filter(is_default=True)) == [third]

    branding_profile_delete(profile=third, actor=creator)
    assert list(BrandingProfile.objects.filter(is_default=True).values_list("name", flat=True)) == ["First"]


def test_updating_a_logo_replaces_the_file_once_committed(
    pro, tmp_path, creator, media_root, django_capture_on_commit_callbacks
):
    profile = create(creator, upload_of(make_logo(tmp_path / "l.png"), "image/png"))
    old = profile.logo.name
    with django_capture_on_commit_callbacks(execute=True):
        branding_profile_update(
            profile=profile, actor=creator, logo=upload_of(make_image(tmp_path / "n.jpg"), "image/jpeg"), opacity=40
        )
    profile.refresh_from_db()
    assert profile.opacity == 40 and profile.logo.name.endswith(".jpg")
    assert not default_storage.exists(old) and default_storage.exists(profile.logo.name)


def test_a_profile_of_another_workspace_cannot_be_applied(pro, logo, creator, team, tmp_path):
    video = video_upload(user=creator, team=team, title="Team", upload=upload_of(make_clip(tmp_path / "v.mp4")))
    personal = create(creator, logo)
    with pytest.raises(DomainError) as refused:
        branding_apply(video=video, profile=personal, actor=creator)
    assert refused.value.field == "profile"
    assert video.versions.count() == 1


def test_applying_needs_the_plan_too(logo, pro, creator, tmp_path):
    profile = create(creator, logo)
    video = video_upload(user=creator, team=None, title="Mine", upload=upload_of(make_clip(tmp_path / "v.mp4")))
    Plan.objects.filter(is_default=True).update(branding=False)  # downgraded: the profile stays
    with pytest.raises(LimitReached):
        branding_apply(video=video, profile=profile, actor=creator)
    assert video.versions.count() == 1 and BrandingProfile.objects.filter(pk=profile.pk).exists()


def test_the_default_profile_can_brand_every_new_render(pro, logo, creator, django_capture_on_commit_callbacks):
    create(creator, logo, position="top-left", opacity=100, scale=30, margin=0, apply_to_new_renders=True)
    template = TemplateFactory()
    with django_capture_on_commit_callbacks(execute=True):
        video = video_create_from_template(user=creator, team=None, template=template, title="Branded")

    version = video.versions.get(number=1)
    assert version.status == VideoVersion.Status.READY, version.error_message
    frame = frame_rgb(Path(default_storage.path(version.file.name)), at=0.5)
    width = frame[0]
    assert near(pixel(frame, int(width * 0.15), int(width * 0.15)), (255, 0, 0))


def test_deleting_a_person_or_a_team_deletes_their_profiles_and_logos(
    pro, tmp_path, creator, team, outsider, staff, media_root, django_capture_on_commit_callbacks
):
    def png():
        return upload_of(make_logo(tmp_path / "l.png"), "image/png")

    mine, theirs = create(creator, png()), create(outsider, png())
    in_team = create(creator, png(), team=team)
    with django_capture_on_commit_callbacks(execute=True):
        team_delete(team=team, actor=staff)
    assert not default_storage.exists(in_team.logo.name) and default_storage.exists(mine.logo.name)
    with django_capture_on_commit_callbacks(execute=True):
        user_destroy(user=creator, actor=staff)
    assert not default_storage.exists(mine.logo.name)
    assert list(BrandingProfile.objects.all()) == [theirs] and default_storage.exists(theirs.logo.name)


def test_a_branding_render_is_fenced_like_every_render(
    pro, logo, creator, tmp_path, django_capture_on_commit_callbacks
):
    from videos.services import version_render

    video = video_upload(user=creator, team=None, title="V", upload=upload_of(make_clip(tmp_path / "v.mp4")))
    profile = create(creator, logo)
    with django_capture_on_commit_callbacks(execute=True):
        version = branding_apply(video=video, profile=profile, actor=creator)
    version.refresh_from_db()
    stored = default_storage.open(version.file.name).read()

    # A duplicate delivery of the task finds nothing to claim and leaves the finished version alone.
    assert version_render(version_id=version.pk) is False
    version.refresh_from_db()
    assert version.status == VideoVersion.Status.READY and default_storage.open(version.file.name).read() == stored


def test_branding_waits_for_a_running_render(pro, logo, creator, django_capture_on_commit_callbacks):
    profile = create(creator, logo)
    video = video_create_from_template(user=creator, team=None, template=TemplateFactory(), title="Busy")
    with pytest.raises(DomainError) as refused:
        branding_apply(video=video, profile=profile, actor=creator)
    assert refused.value.code == "not_ready"


def test_a_base_deleted_before_the_worker_came_fails_with_a_reason(pro, logo, creator, tmp_path):
    from videos.services import version_render

    video = video_upload(user=creator, team=None, title="V", upload=upload_of(make_clip(tmp_path / "v.mp4")))
    profile = create(creator, logo)
    version = branding_apply(video=video, profile=profile, actor=creator)  # the task waits for the commit
    default_storage.delete(profile.logo.name)

    version_render(version_id=version.pk)
    version.refresh_from_db()
    assert version.status == VideoVersion.Status.FAILED
    assert "the logo or the version it was applied to has been deleted since" in version.error_message
    video.refresh_from_db()
    assert video.current_version.number == 1  # the video still plays its last good version
