"""The three experiments in the real pages: a variant per person, exposure once, previews for staff."""

import pytest
from django.urls import reverse

from growth.assignment import ANONYMOUS_COOKIE
from growth.experiments_models import ExperimentAssignment
from insights.event_names import EventName
from insights.models import Event
from tests.growth.experiments import start_seeded

pytestmark = pytest.mark.django_db

CTA_TEXTS = {"sign_up_free": "Sign up free", "start_creating": "Start Creating", "try_for_free": "Try For Free"}


def _cta_variant(html: str) -> str:
    marker = 'data-experiment-variant="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def test_a_draft_experiment_shows_the_default_and_records_nothing(client):
    html = client.get(reverse("landing")).content.decode()
    assert "Sign up free" in html
    assert not ExperimentAssignment.objects.exists()
    assert ANONYMOUS_COOKIE not in client.cookies


def test_visitors_get_a_cookie_a_stable_variant_and_one_exposure(client):
    start_seeded("signup_cta")
    first = client.get(reverse("landing"))
    cookie = first.cookies[ANONYMOUS_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and not cookie["secure"]
    variant = _cta_variant(first.content.decode())
    assert CTA_TEXTS[variant] in first.content.decode()
    for _ in range(3):
        assert _cta_variant(client.get(reverse("landing")).content.decode()) == variant
    assert _cta_variant(client.get(reverse("account_signup")).content.decode()) == variant
    assignment = ExperimentAssignment.objects.get()
    assert (assignment.anonymous_id, assignment.variant.key, assignment.user) == (cookie.value, variant, None)
    assert Event.objects.filter(name=EventName.EXPERIMENT_EXPOSED).count() == 1


def test_many_visitors_see_every_wording(client):
    start_seeded("signup_cta")
    seen = set()
    for _ in range(30):
        client.cookies.clear()
        seen.add(_cta_variant(client.get(reverse("landing")).content.decode()))
    assert seen == set(CTA_TEXTS)
    assert ExperimentAssignment.objects.count() == 30


def test_signing_up_links_the_visitors_exposure_and_converts_it(client, settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    start_seeded("signup_cta")
    client.get(reverse("landing"))
    response = client.post(
        reverse("account_signup"),
        {"email": "new@example.com", "password1": "a-long-Passw0rd!", "password2": "a-long-Passw0rd!"},
    )
    assert response.status_code == 302
    assert response.url == reverse("onboarding")
    assignment = ExperimentAssignment.objects.get(experiment__key="signup_cta")
    assert assignment.user.email == "new@example.com"
    from growth.analysis import experiment_results

    result = experiment_results(experiments=[assignment.experiment])[0]
    assert sum(r.conversions for r in result.variants) == 1


def test_onboarding_has_five_or_three_steps_by_variant(client_for):
    from tests.factories import UserFactory

    start_seeded("onboarding_steps")
    lengths = set()
    for _ in range(12):
        client = client_for(UserFactory())
        html = client.get(reverse("onboarding")).content.decode()
        lengths.add(html.split('data-steps="')[1].split('"')[0])
    assert lengths == {"5", "3"}
    assert ExperimentAssignment.objects.filter(experiment__key="onboarding_steps").count() == 12


def test_finishing_onboarding_records_it_and_leads_to_the_templates(creator_client, creator):
    response = creator_client.post(reverse("onboarding"))
    assert response.url == reverse("videos:templates")
    assert Event.objects.filter(name=EventName.ONBOARDING_COMPLETED, actor=creator).exists()
    assert creator_client.get(reverse("onboarding"), {"step": "x"}).status_code == 200


def test_the_pricing_page_emphasises_annual_billing_for_its_variant(client_for, staff_client):
    start_seeded("pricing_annual")
    html = staff_client.get(reverse("pricing"), {"exp_pricing_annual": "annual_emphasis"}).content.decode()
    assert "Best value" in html and "pricing-annual-callout" in html
    html = staff_client.get(reverse("pricing"), {"exp_pricing_annual": "standard"}).content.decode()
    assert "Best value" not in html
    assert not ExperimentAssignment.objects.exists()  # previews are not exposures


def test_only_staff_can_force_a_variant(creator_client, staff_client):
    start_seeded("onboarding_steps")
    staff_html = staff_client.get(reverse("onboarding"), {"exp_onboarding_steps": "three_steps"}).content.decode()
    assert 'data-steps="3"' in staff_html
    creator_client.get(reverse("onboarding"), {"exp_onboarding_steps": "three_steps"})
    assert list(ExperimentAssignment.objects.values_list("user__email", flat=True)) == ["creator@example.com"]


def test_the_visitor_cookie_is_secure_in_production(client, settings):
    settings.SESSION_COOKIE_SECURE = True
    start_seeded("signup_cta")
    assert client.get(reverse("landing")).cookies[ANONYMOUS_COOKIE]["secure"]


def test_the_pricing_page_keeps_a_fixed_query_budget_while_an_experiment_runs(
    client_for, django_assert_max_num_queries
):
    from tests.factories import UserFactory

    start_seeded("pricing_annual")
    client = client_for(UserFactory())
    with django_assert_max_num_queries(19):  # the first view writes the exposure and its event
        assert client.get(reverse("pricing")).status_code == 200
    with django_assert_max_num_queries(8):  # the exposure is written once; the variant is cached
        assert client.get(reverse("pricing")).status_code == 200


def test_confirming_the_address_after_signup_leads_to_the_onboarding_tour(client, django_capture_on_commit_callbacks):
    import re

    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {"email": "tour@example.com", "password1": "a-long-Passw0rd!", "password2": "a-long-Passw0rd!"},
        )
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    response = client.post("/" + link.split("://", 1)[1].split("/", 1)[1])
    assert response["Location"] == reverse("onboarding")
    assert client.get(response["Location"]).status_code == 200
