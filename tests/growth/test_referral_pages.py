"""The referrer's page and the referral API."""

import pytest
from django.urls import reverse

from billing.services import subscription_start
from growth.referral_models import Referral, ReferralVisit
from growth.services.referrals import referral_apply, referral_code_get_or_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _paid_referral(referrer, pro_plan, django_capture_on_commit_callbacks):
    friend = UserFactory()
    referral_apply(referee=friend, code=referral_code_get_or_create(user=referrer).code)
    with django_capture_on_commit_callbacks(execute=True):
        subscription_start(user=friend, plan=pro_plan, interval="month")


def test_the_referrers_page_shows_code_share_buttons_and_figures(
    creator, creator_client, pro_plan, django_capture_on_commit_callbacks
):
    code = referral_code_get_or_create(user=creator)
    ReferralVisit.objects.create(code=code, visitor_id="a")
    ReferralVisit.objects.create(code=code, visitor_id="b")
    ReferralVisit.objects.create(code=code, visitor_id="c")
    _paid_referral(creator, pro_plan, django_capture_on_commit_callbacks)
    referral_apply(referee=UserFactory(), code=code.code)
    page = creator_client.get(reverse("growth:referrals")).content.decode()
    share_url = f"http://127.0.0.1:8000/r/{code.code}/"
    assert f'value="{share_url}"' in page
    for link in (
        "mailto:?subject=",
        "https://x.com/intent/post?",
        "facebook.com/sharer/sharer.php?u=",
        "https://wa.me/?text=",
    ):
        assert link in page
    assert '<script src="http' not in page  # no third-party scripts
    figures = {
        name: page.split(f'data-testid="stat-{name}">')[1].split("<")[0]
        for name in ("clicks", "signups", "paid", "earned", "claimed")
    }
    # The free month is used at once: the referrer had no subscription, so it started one.
    assert figures == {"clicks": "3", "signups": "2", "paid": "1", "earned": "1", "claimed": "1"}


def test_the_page_applies_a_friends_code(creator, client_for):
    newcomer = UserFactory()
    client = client_for(newcomer)
    code = referral_code_get_or_create(user=creator).code
    client.post(reverse("growth:referral_apply"), {"code": code.lower()})
    assert Referral.objects.get().referee == newcomer
    response = client.post(reverse("growth:referral_apply"), {"code": code}, follow=True)
    assert "You have already used a referral code." in response.content.decode()


def test_the_api_gives_ones_own_code_and_figures_and_applies_a_code(creator, creator_api, api_client_for, api_client):
    body = creator_api.get("/api/v1/growth/referral/").json()
    assert body["share_url"].endswith(f"/r/{body['code']}/")
    assert body["stats"] == {"clicks": 0, "signups": 0, "paid": 0, "months_earned": 0, "months_claimed": 0}
    newcomer_api = api_client_for(UserFactory())
    applied = newcomer_api.post("/api/v1/growth/referral/apply/", {"code": body["code"]}, format="json")
    assert applied.status_code == 201
    assert applied.json() == {"referrer_code": body["code"], "percent_off": 20}
    own = creator_api.post("/api/v1/growth/referral/apply/", {"code": body["code"]}, format="json")
    assert own.status_code == 400
    assert own.json() == {"code": ["You cannot use your own referral code."]}
    assert api_client.get("/api/v1/growth/referral/").status_code == 401
