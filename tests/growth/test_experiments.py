"""Experiments: exposure once, conversions from the event log, verdicts, notifications and shipping."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from config.errors import DomainError
from growth.analysis import Verdict, experiment_guardrails, experiment_results
from growth.assignment import experiment_choose, experiment_live
from growth.bucketing import variation_for
from growth.experiments_models import Experiment, ExperimentAssignment
from growth.services.experiments import (
    experiment_assignments_link,
    experiment_expose,
    experiment_goal_record,
    experiment_ship,
    experiment_stop,
    experiment_update,
    experiment_variant_save,
    experiment_verdicts_notify,
)
from insights.event_names import EventName
from insights.events import record_event
from insights.models import Event
from teams.models import Notification
from tests.factories import UserFactory
from tests.growth.experiments import running_experiment

pytestmark = pytest.mark.django_db


def _expose_all(experiment, users):
    live = experiment_live(experiment.key)
    for user in users:
        choice = experiment_choose(live, hash_value=str(user.pk))
        experiment_expose(experiment=live, variant=choice.variant, user=user)


def test_the_migration_seeds_designs_three_experiments_as_drafts():
    seeded = dict(Experiment.objects.values_list("key", "status"))
    assert seeded == {"signup_cta": "draft", "onboarding_steps": "draft", "pricing_annual": "draft"}
    cta = Experiment.objects.get(key="signup_cta")
    assert [v.name for v in cta.variants.order_by("position")] == ["Sign Up Free", "Start Creating", "Try For Free"]


def test_the_migration_schedules_the_hourly_verdict_check():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="growth.experiment_verdicts_notify")
    assert (task.interval.every, task.interval.period) == (60, "minutes")


def test_an_exposure_is_recorded_once_with_one_event(creator):
    experiment = running_experiment()
    live = experiment_live(experiment.key)
    variant = experiment_choose(live, hash_value=str(creator.pk)).variant
    first, created = experiment_expose(experiment=live, variant=variant, user=creator)
    again, created_again = experiment_expose(experiment=live, variant=variant, user=creator)
    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert Event.objects.filter(name=EventName.EXPERIMENT_EXPOSED, actor=creator).count() == 1


def test_the_hash_decides_with_normalised_weights(creator):
    experiment = running_experiment(variants=(("a", 20), ("b", 30), ("c", 50)), coverage=0.5)
    live = experiment_live(experiment.key)
    for n in range(200):
        index = variation_for(experiment.key, f"v{n}", [0.2, 0.3, 0.5], 0.5)
        choice = experiment_choose(live, hash_value=f"v{n}")
        assert choice.counted == (index >= 0)
        assert choice.variant.key == ("a" if index < 0 else "abc"[index])


def test_a_conversion_counts_once_and_only_after_exposure():
    experiment = running_experiment(goal_event=EventName.VIDEO_CREATED)
    people = [UserFactory() for _ in range(6)]
    early = people[0]
    record_event(name=EventName.VIDEO_CREATED, actor=early)  # before the exposure: does not count
    Event.objects.filter(actor=early).update(occurred_at=timezone.now() - timedelta(hours=1))
    _expose_all(experiment, people)
    for person in people[1:3]:
        record_event(name=EventName.VIDEO_CREATED, actor=person)
        record_event(name=EventName.VIDEO_CREATED, actor=person)  # twice: still one conversion
    record_event(name=EventName.TEMPLATE_USED, actor=people[3])  # not the goal
    result = experiment_results(experiments=[experiment])[0]
    assert sum(r.exposures for r in result.variants) == 6
    assert sum(r.conversions for r in result.variants) == 2


def test_a_visitors_exposure_becomes_the_new_accounts_and_counts_once(creator):
    experiment = running_experiment(goal_event=EventName.USER_SIGNED_UP)
    live = experiment_live(experiment.key)
    choice = experiment_choose(live, hash_value="visitor-abcdefghijklmnop")
    experiment_expose(experiment=live, variant=choice.variant, anonymous_id="visitor-abcdefghijklmnop")
    assert experiment_assignments_link(anonymous_id="visitor-abcdefghijklmnop", user=creator) == 1
    # Signed out again in the same browser: no second exposure.
    _row, created = experiment_expose(experiment=live, variant=choice.variant, anonymous_id="visitor-abcdefghijklmnop")
    assert not created
    assignment = ExperimentAssignment.objects.get()
    assert (assignment.user, assignment.variant_id) == (creator, choice.variant.id)
    record_event(name=EventName.USER_SIGNED_UP, actor=creator)
    result = experiment_results(experiments=[experiment])[0]
    assert [(r.exposures, r.conversions) for r in result.variants if r.exposures] == [(1, 1)]


def test_a_posted_goal_counts_for_its_experiment_once_per_event_id(creator):
    experiment = running_experiment(goal_event=EventName.EXPERIMENT_CONVERTED)
    other = running_experiment("other_exp", goal_event=EventName.EXPERIMENT_CONVERTED)
    _expose_all(experiment, [creator])
    _expose_all(other, [creator])
    goal, created = experiment_goal_record(user=creator, experiment=experiment, event_id="evt-1")
    again, created_again = experiment_goal_record(user=creator, experiment=experiment, event_id="evt-1")
    assert (created, created_again, goal.pk) == (True, False, again.pk)
    assert Event.objects.filter(name=EventName.EXPERIMENT_CONVERTED).count() == 1
    with pytest.raises(DomainError):
        experiment_goal_record(user=creator, experiment=other, event_id="evt-1")
    results = {r.experiment.key: r for r in experiment_results(experiments=[experiment, other])}
    assert sum(r.conversions for r in results["test_exp"].variants) == 1
    assert sum(r.conversions for r in results["other_exp"].variants) == 0


def _fill(experiment, counts):
    """Synthetic exposures and conversions: counts[i] = (exposures, conversions) of variant i."""
    variants = list(experiment.variants.order_by("position"))
    rows, events = [], []
    for variant, (n, x) in zip(variants, counts, strict=True):
        for i in range(n):
            user = UserFactory.build(email=f"{variant.key}-{i}@example.com", password="")
            user.save()
            rows.append(ExperimentAssignment(experiment=experiment, variant=variant, user=user))
            if i < x:
                events.append(Event(name=experiment.goal_event, actor=user, occurred_at=timezone.now()))
    ExperimentAssignment.objects.bulk_create(rows)
    Event.objects.bulk_create(events)


def test_a_clear_winner_is_declared_and_staff_are_told_once(staff, creator, django_capture_on_commit_callbacks):
    from growth.tasks import experiment_verdicts_notify_task

    experiment = running_experiment()
    _fill(experiment, [(400, 40), (400, 110)])
    result = experiment_results(experiments=[experiment])[0]
    assert result.verdict == Verdict.WINNER and result.winner.variant.key == "treatment"
    assert result.variants[1].comparison.p_value < 0.001
    with django_capture_on_commit_callbacks(execute=True):
        assert experiment_verdicts_notify_task.delay().get() == 1
    assert experiment_verdicts_notify() == 0
    assert not Notification.objects.filter(recipient=creator).exists()
    notification = Notification.objects.get(recipient=staff)
    assert "Treatment" in notification.text and "Test Exp" in notification.text
    assert [m.to for m in mail.outbox] == [[staff.email]]


def test_an_unclear_result_says_no_difference_yet_with_the_sample_size_still_needed(staff):
    experiment = running_experiment(minimum_detectable_effect=0.2)
    _fill(experiment, [(60, 6), (60, 8)])
    result = experiment_results(experiments=[experiment])[0]
    assert result.verdict == Verdict.NO_DIFFERENCE_YET and result.winner is None
    assert result.sample_size_per_variant > 1000
    assert result.remaining_per_variant == result.sample_size_per_variant - 60
    assert experiment_verdicts_notify() == 0


def test_a_worse_variant_means_keep_control():
    experiment = running_experiment()
    _fill(experiment, [(400, 120), (400, 30)])
    assert experiment_results(experiments=[experiment])[0].verdict == Verdict.KEEP_CONTROL


def test_a_sample_ratio_mismatch_shows_only_the_warning():
    experiment = running_experiment()
    _fill(experiment, [(300, 20), (120, 60)])  # a winner by rate, but a 50/50 split gone wrong
    result = experiment_results(experiments=[experiment])[0]
    assert result.srm_flagged and result.srm_p_value < 0.001
    assert result.verdict == Verdict.SAMPLE_RATIO_MISMATCH and result.winner is None


def test_the_ratio_check_waits_for_eight_people_per_variant():
    experiment = running_experiment()
    _fill(experiment, [(40, 1), (7, 0)])
    assert not experiment_results(experiments=[experiment])[0].srm_flagged


def test_guardrails_are_rates_per_variant():
    experiment = running_experiment(guardrail_events=[EventName.PAYMENT_FAILED])
    _fill(experiment, [(10, 0), (10, 0)])
    user = ExperimentAssignment.objects.filter(variant__position=1).first().user
    record_event(name=EventName.PAYMENT_FAILED, actor=user)
    variants = list(experiment.variants.order_by("position"))
    assert experiment_guardrails(experiment=experiment, variants=variants) == {"payment.failed": [0.0, 0.1]}


def test_shipping_gives_everyone_the_winner_and_stops_counting(creator, staff):
    experiment = running_experiment()
    treatment = experiment.variants.get(key="treatment")
    experiment_ship(experiment=experiment, variant=treatment, actor=staff)
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.SHIPPED and experiment.ended_at
    live = experiment_live(experiment.key)
    for n in range(20):
        choice = experiment_choose(live, hash_value=str(n))
        assert (choice.variant.key, choice.counted) == ("treatment", False)
    assert Event.objects.filter(name=EventName.EXPERIMENT_SHIPPED, actor=staff).exists()


def test_a_started_experiment_keeps_its_variants_goal_and_coverage(staff):
    experiment = running_experiment()
    with pytest.raises(DomainError):
        experiment_variant_save(experiment=experiment, key="new", name="New", weight=1, position=5)
    with pytest.raises(DomainError):
        experiment_update(experiment=experiment, actor=staff, coverage=0.5)
    experiment_update(experiment=experiment, actor=staff, hypothesis="Clearer now")
    experiment_stop(experiment=experiment, actor=staff)
    live = experiment_live(experiment.key)
    assert live.status == "stopped"
    assert experiment_choose(live, hash_value="1").counted is False


def test_bad_settings_are_refused_as_domain_errors():
    from growth.services.experiments import VariantSpec, experiment_create

    with pytest.raises(DomainError) as error:
        experiment_create(key="x", name="X", goal_event="no.such.event", variants=[], actor=None)
    assert error.value.field == "goal_event"
    with pytest.raises(DomainError):
        experiment_create(key="y", name="Y", goal_event="video.created", variants=[], actor=None, coverage=2)
    with pytest.raises(DomainError):
        experiment_create(
            key="z", name="Z", goal_event="video.created", variants=[VariantSpec("a", "A", -1)], actor=None
        )


def test_two_variants_cannot_share_a_key():
    from growth.services.experiments import VariantSpec, experiment_create

    with pytest.raises(DomainError):
        experiment_create(
            key="dup",
            name="D",
            goal_event="video.created",
            variants=[VariantSpec("a", "A"), VariantSpec("a", "B")],
            actor=None,
        )
