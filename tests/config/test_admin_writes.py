"""Every write the ops console offers is gated by a write permission and goes through a service (or is absent)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse

from billing.models import Coupon, Customer, Payment, Subscription
from insights.models import Event
from teams.models import Invitation, Notification
from tests.config.admin_rows import ROW_MAKERS
from tests.factories import UserFactory
from tests.videos.factories import VideoFactory, VideoVersionFactory
from videos.models import MediaAsset, Video, VideoVersion

pytestmark = pytest.mark.django_db

# Every registered admin, the third-party ones (allauth's, django-celery-beat's) included.
ADMINS = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _custom_actions(model_admin: admin.ModelAdmin) -> list:
    return [model_admin.get_action(action)[0] for action in model_admin.actions or []]


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[model._meta.label for model, _ in ADMINS])
def test_every_custom_action_declares_the_permission_it_needs(model, model_admin):
    """Django offers an action without `allowed_permissions` to anyone who may only view the list."""
    for action in _custom_actions(model_admin):
        assert getattr(action, "allowed_permissions", None), f"{model_admin}.{action.__name__}"


@pytest.fixture
def view_only_staff(db):
    user = UserFactory(email="viewer-staff@example.com", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return user


@pytest.mark.parametrize(("model", "model_admin"), ADMINS, ids=[model._meta.label for model, _ in ADMINS])
def test_staff_who_may_only_view_are_offered_no_action(view_only_staff, model, model_admin):
    request = RequestFactory().get("/")
    request.user = view_only_staff
    assert model_admin.has_view_permission(request)
    assert model_admin.get_actions(request) == {}


def test_staff_who_may_only_view_cannot_delete_videos_or_cancel_subscriptions(client_for, view_only_staff, creator):
    client = client_for(view_only_staff)
    video = VideoFactory(owner=creator)
    subscription = ROW_MAKERS["billing.subscription"](0)
    status = subscription.status
    client.post(
        reverse("admin:videos_video_changelist"), {"action": "delete_with_files", "_selected_action": [video.pk]}
    )
    client.post(
        reverse("admin:billing_subscription_changelist"),
        {"action": "cancel_now_action", "_selected_action": [subscription.pk]},
    )
    assert Video.objects.filter(pk=video.pk).exists()
    subscription.refresh_from_db()
    assert (subscription.status, subscription.canceled_at) == (status, None)


NOT_DELETABLE = [VideoVersion, MediaAsset, Payment, Subscription, Invitation, Notification, Event]


@pytest.mark.parametrize("model", NOT_DELETABLE, ids=lambda model: model._meta.label)
def test_the_console_deletes_none_of_these_not_even_for_a_superuser(staff_client, staff, model):
    request = RequestFactory().get("/")
    request.user = staff
    assert not admin.site._registry[model].has_delete_permission(request)
    row = ROW_MAKERS[model._meta.label_lower](0)
    row = model.objects.order_by("-pk").first() if row is None else row
    opts = model._meta
    response = staff_client.post(
        reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[row.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


READ_ONLY = [MediaAsset, Subscription, Payment, Customer, VideoVersion, Event]


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda model: model._meta.label)
def test_the_change_form_of_these_has_no_editable_field_and_refuses_a_post(staff_client, staff, model):
    row = ROW_MAKERS[model._meta.label_lower](0)
    row = model.objects.order_by("-pk").first() if row is None else row
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
    response = staff_client.get(url)
    assert response.status_code == 200
    assert list(response.context["adminform"].form.fields) == []
    assert staff_client.post(url, {}).status_code == 403
    request = RequestFactory().get("/")
    request.user = staff
    assert not admin.site._registry[model].has_add_permission(request)


def test_the_video_form_edits_only_the_title_through_the_service(staff_client, creator):
    video = VideoFactory(owner=creator, title="Old")
    other = VideoVersionFactory()
    url = reverse("admin:videos_video_change", args=[video.pk])
    form = staff_client.get(url).context["adminform"].form
    assert list(form.fields) == ["title"]
    response = staff_client.post(
        url,
        {
            "title": "  New  ",
            "current_version": other.pk,
            "owner": other.video.owner_id,
            "status": "failed",
            **_empty_inline("versions"),
        },
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    video.refresh_from_db()
    assert (video.title, video.owner, video.current_version_id) == ("New", creator, None)
    assert video.status != "failed"


def _empty_inline(prefix: str) -> dict:
    return {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}


def test_the_console_adds_no_video(staff_client):
    assert staff_client.get(reverse("admin:videos_video_add")).status_code == 403


def test_deactivating_coupons_goes_through_the_service(staff_client):
    from billing.services.offers import coupon_deactivate

    coupons = [Coupon.objects.create(code=f"C{n}", name="c", percent_off=10) for n in range(2)]
    staff_client.post(
        reverse("admin:billing_coupon_changelist"), {"action": "deactivate", "_selected_action": [coupons[0].pk]}
    )
    assert list(Coupon.objects.order_by("code").values_list("is_active", flat=True)) == [False, True]
    assert coupon_deactivate(coupons=Coupon.objects.all()) == 1
    assert not Coupon.objects.filter(is_active=True).exists()


def test_deleting_a_video_deletes_its_versions_through_the_service(staff_client, creator):
    """Versions may not be deleted on their own, but the video's deletion (video_delete) takes them along."""
    version = VideoVersionFactory(video=VideoFactory(owner=creator))
    url = reverse("admin:videos_video_delete", args=[version.video_id])
    assert staff_client.post(url, {"post": "yes"}).status_code == 302
    assert not Video.objects.filter(pk=version.video_id).exists()
    assert not VideoVersion.objects.filter(pk=version.pk).exists()


def test_a_third_party_action_still_works_for_staff_who_may_change(staff_client):
    from allauth.account.models import EmailAddress

    address = ROW_MAKERS["account.emailaddress"](0)
    EmailAddress.objects.filter(pk=address.pk).update(verified=False)
    url = reverse("admin:account_emailaddress_changelist")
    assert "Mark selected email addresses as verified" in staff_client.get(url).content.decode()
    staff_client.post(url, {"action": "make_verified", "_selected_action": [address.pk]})
    address.refresh_from_db()
    assert address.verified
