"""Experiments in the ops console: defined through the services, a winner shipped, the growth dashboard."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from growth.analysis import Verdict
from growth.dashboard import GrowthNumbers, Health, growth_numbers, growth_summary
from growth.experiments_models import Experiment, ExperimentAssignment
from insights.event_names import EventName
from insights.models import Event
from tests.factories import UserFactory
from tests.growth.experiments import running_experiment

pytestmark = pytest.mark.django_db


def _winning(experiment):
    variants = list(experiment.variants.order_by("position"))
    for variant, (n, x) in zip(variants, [(300, 30), (300, 90)], strict=True):
        for i in range(n):
            user = UserFactory.build(email=f"{experiment.key}-{variant.key}-{i}@example.com", password="")
            user.save()
            ExperimentAssignment.objects.create(experiment=experiment, variant=variant, user=user)
            if i < x:
                Event.objects.create(name=experiment.goal_event, actor=user)


def test_staff_define_an_experiment_with_variants_in_the_console(staff_client):
    response = staff_client.post(
        reverse("admin:growth_experiment_add"),
        {
            "key": "hero_image",
            "name": "Hero image",
            "hypothesis": "",
            "goal_event": "video.created",
            "guardrail_events": "[]",
            "coverage": "0.5",
            "minimum_detectable_effect": "0.1",
            "seed": "",
            "variants-TOTAL_FORMS": "2",
            "variants-INITIAL_FORMS": "0",
            "variants-MAX_NUM_FORMS": "1000",
            "variants-0-position": "0",
            "variants-0-key": "old",
            "variants-0-name": "Old",
            "variants-0-weight": "1",
            "variants-1-position": "1",
            "variants-1-key": "new",
            "variants-1-name": "New",
            "variants-1-weight": "3",
        },
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    experiment = Experiment.objects.get(key="hero_image")
    assert experiment.status == "draft" and experiment.coverage == 0.5
    assert list(experiment.variants.values_list("key", "weight")) == [("old", 1.0), ("new", 3.0)]
    staff_client.post(
        reverse("admin:growth_experiment_changelist"), {"action": "start", "_selected_action": [experiment.pk]}
    )
    experiment.refresh_from_db()
    assert experiment.status == "running"
    page = staff_client.get(reverse("admin:growth_experiment_change", args=[experiment.pk])).content.decode()
    assert "No difference yet" in page


def test_staff_ship_the_winner_and_everyone_gets_it(staff_client, client):
    from growth.services.experiments import experiment_start

    experiment = Experiment.objects.get(key="signup_cta")
    experiment_start(experiment=experiment, actor=None)
    _winning_three = list(experiment.variants.order_by("position"))
    for variant, (n, x) in zip(_winning_three, [(300, 30), (300, 100), (300, 30)], strict=True):
        for i in range(n):
            user = UserFactory.build(email=f"{variant.key}-{i}@example.com", password="")
            user.save()
            ExperimentAssignment.objects.create(experiment=experiment, variant=variant, user=user)
            if i < x:
                Event.objects.create(name=EventName.USER_SIGNED_UP, actor=user)
    staff_client.post(
        reverse("admin:growth_experiment_changelist"), {"action": "ship_winner", "_selected_action": [experiment.pk]}
    )
    experiment.refresh_from_db()
    assert experiment.status == "shipped" and experiment.shipped_variant.key == "start_creating"
    for _ in range(5):
        client.cookies.clear()
        assert "Start Creating" in client.get(reverse("landing")).content.decode()
    assert ExperimentAssignment.objects.count() == 900  # shipped: nobody more is counted


def test_no_winner_no_shipping(staff_client):
    experiment = running_experiment()
    staff_client.post(
        reverse("admin:growth_experiment_changelist"), {"action": "ship_winner", "_selected_action": [experiment.pk]}
    )
    experiment.refresh_from_db()
    assert experiment.status == "running"


def test_the_dashboard_is_on_the_console_index_and_shows_the_numbers(staff_client):
    experiment = running_experiment()
    _winning(experiment)
    index = staff_client.get(reverse("admin:index")).content.decode()
    url = reverse("admin:growth_experimentdashboard_changelist")
    assert url in index
    page = staff_client.get(url).content.decode()
    assert "Executive summary" in page and "Test Exp" in page
    assert f'data-verdict="{Verdict.WINNER}"' in page
    assert "Ship “Treatment” in “Test Exp”." in page


def test_people_who_are_not_staff_do_not_see_the_dashboard(creator_client):
    assert creator_client.get(reverse("admin:growth_experimentdashboard_changelist")).status_code == 302


def test_weekly_signups_activation_and_pro_conversion_are_computed():
    from billing.models import Plan, Subscription

    now = timezone.now()
    this_week = [UserFactory(date_joined=now - timedelta(days=d)) for d in (1, 2, 3)]
    [UserFactory(date_joined=now - timedelta(days=d)) for d in (8, 9)]
    cohort = [UserFactory(date_joined=now - timedelta(days=d)) for d in (10, 12, 20, 30)]
    Event.objects.create(
        name=EventName.VIDEO_CREATED, actor=cohort[0], occurred_at=cohort[0].date_joined + timedelta(days=2)
    )
    late = cohort[1]
    Event.objects.create(name=EventName.VIDEO_CREATED, actor=late, occurred_at=late.date_joined + timedelta(days=8))
    Subscription.objects.create(
        user=this_week[0], plan=Plan.objects.get(code="pro"), current_period_end=now + timedelta(days=30)
    )
    numbers = growth_numbers(now=now)
    # Last week: the two who joined 8 and 9 days ago and the cohort's 10 and 12.
    assert (numbers.signups_this_week, numbers.signups_last_week) == (3, 4)
    assert numbers.signups_change == pytest.approx(-0.25)
    assert (numbers.activated, numbers.activation_cohort) == (1, 6)  # joined 7 to 37 days ago; one video in week one
    assert numbers.paying == 1 and numbers.users == 9


def _numbers(**overrides):
    values = {
        "signups_this_week": 120,
        "signups_last_week": 100,
        "activation_cohort": 100,
        "activated": 45,
        "users": 1000,
        "paying": 50,
        "experiments": [],
    }
    return GrowthNumbers(**{**values, **overrides})


def test_the_summary_rules():
    excellent = growth_summary(_numbers())
    assert excellent.health == Health.EXCELLENT
    assert "Signups up +20 %" in " ".join(excellent.key_wins)
    good = growth_summary(_numbers(activated=20))
    assert good.health == Health.GOOD and "activation" in good.top_action.lower()
    bad = growth_summary(_numbers(activated=20, signups_this_week=50, paying=5))
    assert bad.health == Health.NEEDS_ATTENTION
    assert growth_summary(_numbers(signups_last_week=0)).health == Health.GOOD  # no week to compare with
