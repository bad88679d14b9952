"""Growth in the ops console: the referral programme's figures, RICE, merging, batch invitations."""

import pytest
from django.urls import reverse

from growth.feature_models import FeatureRequest
from growth.referral_models import ReferralFlag, ReferralVisit
from growth.services.features import feature_vote_set
from growth.services.referrals import referral_apply, referral_code_get_or_create
from growth.services.waitlist import waitlist_join
from growth.waitlist_models import FeatureFlag
from teams.models import Notification
from tests.factories import UserFactory
from tests.growth.factories import FeatureRequestFactory, PreviewFeatureFactory

pytestmark = pytest.mark.django_db


def test_the_referral_codes_page_shows_the_programmes_funnel_k_factor_and_top_referrers(staff_client, creator):
    code = referral_code_get_or_create(user=creator)
    for n in range(4):
        ReferralVisit.objects.create(code=code, visitor_id=f"v{n}")
    referral_apply(referee=UserFactory(), code=code.code)
    ReferralFlag.objects.create(code=code, user=creator, reason="self")
    page = staff_client.get(reverse("admin:growth_referralcode_changelist")).content.decode()
    # 4 visits over 3 active people (creator, referee, staff) * 1 signup in 4 visits = 1/3.
    assert 'data-testid="k-factor">0.333' in page
    assert "visit → signup 0.250" in page
    assert creator.email in page.split("Top referrers")[1]


def test_rice_is_sortable_in_the_console(staff_client):
    low = FeatureRequestFactory(title="Low", impact=1)
    high = FeatureRequestFactory(title="High", impact=10)
    for request in (low, high):
        feature_vote_set(feature_request=request, user=UserFactory(), value=1)
    url = reverse("admin:growth_featurerequest_changelist")
    page = staff_client.get(url).content.decode()
    assert page.index(">High<") < page.index(">Low<")
    page = staff_client.get(url, {"o": "8", "reach": "weighted"}).content.decode()  # column 8: RICE score, ascending
    assert page.index(">Low<") < page.index(">High<")


def test_merging_from_the_console_keeps_the_most_voted(staff_client):
    keep = FeatureRequestFactory(title="Dark mode")
    duplicate = FeatureRequestFactory(title="Night theme")
    for _ in range(2):
        feature_vote_set(feature_request=keep, user=UserFactory(), value=1)
    feature_vote_set(feature_request=duplicate, user=UserFactory(), value=1)
    staff_client.post(
        reverse("admin:growth_featurerequest_changelist"),
        {"action": "merge_action", "_selected_action": [keep.pk, duplicate.pk]},
    )
    duplicate.refresh_from_db()
    assert duplicate.merged_into == keep
    keep.refresh_from_db()
    assert keep.score == 3


def test_a_status_set_in_the_form_notifies_voters_through_the_service(staff_client, creator):
    request = FeatureRequestFactory(title="Dark mode", category="ui_ux")
    feature_vote_set(feature_request=request, user=creator, value=1)
    response = staff_client.post(
        reverse("admin:growth_featurerequest_change", args=[request.pk]),
        {
            "title": "Dark mode",
            "description": "",
            "category": "ui_ux",
            "status": "shipped",
            "impact": 7,
            "confidence": "0.9",
            "effort": 3,
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.impact, request.effort) == ("shipped", 7, 3)
    assert Notification.objects.filter(recipient=creator, kind="feature_status").count() == 1
    assert FeatureRequest.objects.count() == 1


def test_staff_invite_the_next_n_from_the_console(staff_client):
    feature = PreviewFeatureFactory(key="ai-voiceover")
    people = [UserFactory() for _ in range(3)]
    for person in people:
        waitlist_join(feature=feature, user=person)
    staff_client.post(
        reverse("admin:growth_previewfeature_changelist"),
        {"action": "invite_next_action", "_selected_action": [feature.pk], "count": "2"},
    )
    assert set(FeatureFlag.objects.values_list("user", flat=True)) == {people[0].pk, people[1].pk}
