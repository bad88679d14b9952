"""Referral codes, counted visits, applying a code once at signup, and self-referral refused."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from billing.models import Coupon, CouponRedemption, Customer, Payment
from billing.services import coupon_redeem, subscription_start
from config.errors import DomainError
from growth import codes
from growth.codes import email_identity, is_bot, referral_code_new
from growth.referral_models import Referral, ReferralCode, ReferralFlag, ReferralVisit
from growth.services.referrals import referral_apply, referral_code_get_or_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CODE_SHAPE = re.compile(r"^[A-Z]{1,4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")


# --- Codes ---------------------------------------------------------------------------------------


def test_every_person_has_one_readable_unguessable_code(creator):
    code = referral_code_get_or_create(user=creator)
    assert CODE_SHAPE.match(code.code)
    assert code.code.startswith("CORA-")  # from the display name
    assert referral_code_get_or_create(user=creator) == code
    assert ReferralCode.objects.count() == 1


def test_codes_use_no_ambiguous_characters_and_differ_every_time():
    made = {referral_code_new("x") for _ in range(200)}
    assert len(made) == 200
    assert not any(set(code.split("-", 1)[1]) & set("01IOL") for code in made)


def test_a_taken_code_is_retried_with_a_new_one(creator, outsider, monkeypatch):
    taken = referral_code_get_or_create(user=outsider).code
    fresh = iter([taken, "CORA-2222-3333"])
    monkeypatch.setattr("growth.services.referrals.referral_code_new", lambda name: next(fresh))
    assert referral_code_get_or_create(user=creator).code == "CORA-2222-3333"


@pytest.mark.parametrize(
    ("address", "identity"),
    [
        ("Cora.Creator+promo@gmail.com", "coracreator@gmail.com"),
        ("c.o.r.a.creator@googlemail.com", "coracreator@gmail.com"),
        ("cora.creator+x@example.com", "cora.creator@example.com"),  # dots count outside Gmail
    ],
)
def test_email_identity_sees_through_tags_dots_and_alias_domains(address, identity):
    assert email_identity(address) == identity


@pytest.mark.parametrize(
    ("agent", "bot"),
    [
        ("", True),
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", True),
        ("facebookexternalhit/1.1", True),
        ("WhatsApp/2.23.20.0", True),
        ("curl/8.5.0", True),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", False),
    ],
)
def test_bots_and_link_previews_are_recognised_by_their_user_agent(agent, bot):
    assert is_bot(agent) is bot


# --- Visits ----------------------------------------------------------------------------------------


def test_a_visit_is_counted_once_per_browser_and_never_for_bots_or_the_owner(creator, client_for, browser_ua):
    code = referral_code_get_or_create(user=creator)
    url = reverse("growth:referral_link", args=[code.code.lower()])  # typed in lower case still works
    browser = Client(HTTP_USER_AGENT=browser_ua)
    response = browser.get(url)
    assert response.status_code == 302 and response["Location"] == reverse("account_signup")
    browser.get(url)
    browser.get(url)
    assert ReferralVisit.objects.count() == 1
    Client(HTTP_USER_AGENT=browser_ua).get(url)
    assert ReferralVisit.objects.count() == 2
    preview = Client(HTTP_USER_AGENT="facebookexternalhit/1.1")
    preview.get(url)
    assert codes.REFERRAL_COOKIE not in preview.cookies
    assert codes.REFERRAL_SESSION_KEY not in preview.session
    Client().get(url)  # no User-Agent at all
    owner = client_for(creator)
    owner.defaults["HTTP_USER_AGENT"] = browser_ua
    owner.get(url)
    assert ReferralVisit.objects.count() == 2


def test_one_client_address_counts_at_most_20_visits_a_day_however_many_cookies_it_drops(creator, browser_ua):
    code = referral_code_get_or_create(user=creator)
    url = reverse("growth:referral_link", args=[code.code])
    for _ in range(25):
        Client(HTTP_USER_AGENT=browser_ua, REMOTE_ADDR="203.0.113.7").get(url)
    Client(HTTP_USER_AGENT=browser_ua, REMOTE_ADDR="198.51.100.1").get(url)
    assert ReferralVisit.objects.count() == 21


def test_an_unknown_code_leads_to_the_landing_page_and_counts_nothing(client, browser_ua):
    response = client.get(reverse("growth:referral_link", args=["NOPE-2222-3333"]), HTTP_USER_AGENT=browser_ua)
    assert response["Location"] == reverse("landing")
    assert ReferralVisit.objects.count() == 0


# --- Signup ----------------------------------------------------------------------------------------

SIGNUP = {"password1": "a-long-Passw0rd!", "password2": "a-long-Passw0rd!"}


def test_the_code_survives_signup_in_the_session_and_is_applied_once(creator, browser_ua, pro_plan):
    code = referral_code_get_or_create(user=creator)
    browser = Client(HTTP_USER_AGENT=browser_ua)
    browser.get(reverse("growth:referral_link", args=[code.code]))
    response = browser.post(reverse("account_signup"), {"email": "friend@example.com", **SIGNUP})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert (referral.referrer, referral.referee.email, referral.status) == (creator, "friend@example.com", "signed_up")
    assert codes.REFERRAL_SESSION_KEY not in browser.session
    # The referee's discount: a coupon of their own, single use, already redeemed for them.
    redemption = CouponRedemption.objects.get(user=referral.referee)
    assert redemption.coupon == referral.coupon
    assert (redemption.coupon.percent_off, redemption.coupon.max_redemptions) == (20, 1)
    assert redemption.coupon.duration == Coupon.Duration.ONCE
    with pytest.raises(DomainError):
        coupon_redeem(user=creator, code=redemption.coupon.code)  # nobody else can use it
    # Their first month of Pro costs 20 % less.
    subscription_start(user=referral.referee, plan=pro_plan, interval="month")
    payment = Payment.objects.get(user=referral.referee)
    assert (payment.subtotal_cents, payment.discount_cents, payment.amount_cents) == (1200, 240, 960)


def test_the_code_survives_in_a_signed_cookie_when_the_session_is_gone(creator, browser_ua):
    code = referral_code_get_or_create(user=creator)
    first_visit = Client(HTTP_USER_AGENT=browser_ua)
    first_visit.get(reverse("growth:referral_link", args=[code.code]))
    later = Client(HTTP_USER_AGENT=browser_ua)  # a new session, the same browser's cookies
    later.cookies[codes.REFERRAL_COOKIE] = first_visit.cookies[codes.REFERRAL_COOKIE].value
    later.post(reverse("account_signup"), {"email": "later@example.com", **SIGNUP})
    assert Referral.objects.get().referee.email == "later@example.com"


def test_a_forged_cookie_is_ignored(creator):
    referral_code_get_or_create(user=creator)
    browser = Client()
    browser.cookies[codes.REFERRAL_COOKIE] = ReferralCode.objects.get().code  # unsigned
    browser.post(reverse("account_signup"), {"email": "forger@example.com", **SIGNUP})
    assert not Referral.objects.exists()


def test_a_code_is_applied_once_per_person(creator, outsider):
    newcomer = UserFactory()
    referral_apply(referee=newcomer, code=referral_code_get_or_create(user=creator).code)
    with pytest.raises(DomainError) as refused:
        referral_apply(referee=newcomer, code=referral_code_get_or_create(user=outsider).code)
    assert refused.value.code == "referral_already_applied"
    assert Referral.objects.get().referrer == creator
    assert CouponRedemption.objects.filter(user=newcomer).count() == 1


def test_only_new_accounts_before_their_first_payment_can_apply_a_code(creator, pro_plan):
    code = referral_code_get_or_create(user=creator).code
    old = UserFactory(date_joined=timezone.now() - timedelta(days=30))
    with pytest.raises(DomainError) as refused:
        referral_apply(referee=old, code=code)
    assert refused.value.code == "referral_too_late"
    customer = UserFactory()
    subscription_start(user=customer, plan=pro_plan, interval="month")
    with pytest.raises(DomainError) as refused:
        referral_apply(referee=customer, code=code)
    assert refused.value.code == "referral_already_customer"
    with pytest.raises(DomainError) as refused:
        referral_apply(referee=UserFactory(), code="WHAT-2222-3333")
    assert refused.value.code == "referral_invalid"


# --- Self-referral -----------------------------------------------------------------------------


def _refusal(referee, code: str) -> str:
    with pytest.raises(DomainError) as refused:
        referral_apply(referee=referee, code=code)
    return refused.value.code


def test_ones_own_code_is_refused_and_flagged(creator):
    code = referral_code_get_or_create(user=creator)
    assert _refusal(creator, code.code) == "referral_self"
    flag = ReferralFlag.objects.get()
    assert (flag.code, flag.user, flag.reason) == (code, creator, "self")
    assert not Referral.objects.exists() and not Coupon.objects.exists()


@pytest.mark.parametrize(
    ("referrer_email", "referee_email"),
    [
        ("cora.creator@gmail.com", "coracreator+second@gmail.com"),
        ("cora.creator@gmail.com", "c.o.r.a.creator@googlemail.com"),
        ("cora@example.org", "Cora+alias@Example.org"),
    ],
)
def test_a_second_account_behind_an_alias_of_the_same_address_is_refused(referrer_email, referee_email):
    referrer = UserFactory(email=referrer_email)
    referee = UserFactory(email=referee_email.lower())
    assert _refusal(referee, referral_code_get_or_create(user=referrer).code) == "referral_same_email"
    assert ReferralFlag.objects.get().reason == "same_email"


def test_an_alias_of_any_of_the_referrers_addresses_is_refused(creator):
    EmailAddress.objects.create(user=creator, email="cora.private@gmail.com", verified=True)
    referee = UserFactory(email="coraprivate+new@gmail.com")
    assert _refusal(referee, referral_code_get_or_create(user=creator).code) == "referral_same_email"


def test_the_same_payment_customer_is_refused(creator):
    referee = UserFactory()
    Customer.objects.create(user=creator, provider="stripe", provider_customer_id="cus_shared")
    Customer.objects.create(user=referee, provider="manual", provider_customer_id="cus_shared")
    assert _refusal(referee, referral_code_get_or_create(user=creator).code) == "referral_same_customer"


def test_a_loop_is_refused(creator):
    friend = UserFactory()
    referral_apply(referee=friend, code=referral_code_get_or_create(user=creator).code)
    # The creator (a new account too) cannot now sign up under the friend they brought in, nor
    # under someone that friend brought in.
    assert _refusal(creator, referral_code_get_or_create(user=friend).code) == "referral_loop"
    friend_of_friend = UserFactory()
    referral_apply(referee=friend_of_friend, code=referral_code_get_or_create(user=friend).code)
    assert _refusal(creator, referral_code_get_or_create(user=friend_of_friend).code) == "referral_loop"
    assert ReferralFlag.objects.filter(reason="loop").count() == 2


def test_a_refused_code_at_signup_does_not_stop_the_signup(browser_ua):
    # Someone signs up with an alias of the referrer's own Gmail address.
    referrer = UserFactory(email="sam.sharer@gmail.com")
    code = referral_code_get_or_create(user=referrer)
    browser = Client(HTTP_USER_AGENT=browser_ua)
    browser.get(reverse("growth:referral_link", args=[code.code]))
    response = browser.post(reverse("account_signup"), {"email": "samsharer+2@gmail.com", **SIGNUP})
    assert response.status_code == 302
    assert not Referral.objects.exists()
    assert ReferralFlag.objects.get().reason == "same_email"
