"""Demo data for growth: the three experiments running, with synthetic visitors, exposures and goals,
so the growth dashboard and the experiment pages show real numbers after `make run`."""

import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from billing.models import Interval
from billing.selectors import plan_list_public
from billing.services.subscriptions import subscription_start
from growth.assignment import experiment_choose, live_from_model
from growth.experiments_models import Experiment, ExperimentAssignment
from growth.services.experiments import experiment_start
from insights.event_names import EventName
from insights.models import Event
from teams.models import User

VISITORS = 900
DEMO_DOMAIN = "visitors.videocreator.local"
# Conversion chances per variant key: the demo's "truth", so the results have something to find.
SIGNUP_RATE = {"sign_up_free": 0.12, "start_creating": 0.20, "try_for_free": 0.13}
ACTIVATION_RATE = {"five_steps": 0.30, "three_steps": 0.42}
SUBSCRIBE_RATE = {"standard": 0.06, "annual_emphasis": 0.09}


def _live(key: str):
    experiment = Experiment.objects.filter(key=key).first()
    if experiment is None:
        return None, None
    return experiment, live_from_model(experiment, list(experiment.variants.all()))


@transaction.atomic
def load_experiments(*, creator: User, staff: User) -> None:
    """Start DESIGN.md's experiments and fill them with synthetic traffic; once only."""
    keys = ["signup_cta", "onboarding_steps", "pricing_annual"]
    for experiment in Experiment.objects.filter(key__in=keys, status=Experiment.Status.DRAFT):
        experiment_start(experiment=experiment, actor=staff)
    if ExperimentAssignment.objects.filter(experiment__key="signup_cta").exists():
        return
    rng = random.Random(12)
    now = timezone.now()
    Experiment.objects.filter(key__in=keys).update(started_at=now - timedelta(days=40))
    signup, signup_live = _live("signup_cta")
    onboarding, onboarding_live = _live("onboarding_steps")
    pricing, pricing_live = _live("pricing_annual")
    if signup_live is None or onboarding_live is None or pricing_live is None:
        return
    assignments, events, people, subscribers = [], [], [], []
    for n in range(VISITORS):
        visitor = f"demo-visitor-{n:05d}-{rng.getrandbits(48):012x}"
        seen = now - timedelta(days=rng.uniform(0.5, 40))
        choice = experiment_choose(signup_live, hash_value=visitor)
        if not choice.counted:
            continue
        assignments.append(
            ExperimentAssignment(experiment=signup, variant_id=choice.variant.id, anonymous_id=visitor, exposed_at=seen)
        )
        if rng.random() < SIGNUP_RATE[choice.variant.key]:
            joined = seen + timedelta(minutes=rng.uniform(1, 30))
            people.append((visitor, joined))
    users = User.objects.bulk_create(
        [User(email=f"{visitor[:28]}@{DEMO_DOMAIN}", date_joined=joined, is_active=True) for visitor, joined in people]
    )
    by_visitor = {visitor: user for (visitor, _joined), user in zip(people, users, strict=True)}
    for assignment in assignments:
        assignment.user = by_visitor.get(assignment.anonymous_id)
    for user in users:
        events.append(Event(name=EventName.USER_SIGNED_UP, actor=user, occurred_at=user.date_joined))
        for experiment, live, rates, goal in (
            (onboarding, onboarding_live, ACTIVATION_RATE, EventName.VIDEO_CREATED),
            (pricing, pricing_live, SUBSCRIBE_RATE, EventName.USER_SUBSCRIBED),
        ):
            choice = experiment_choose(live, hash_value=str(user.pk))
            if not choice.counted:
                continue
            exposed = user.date_joined + timedelta(minutes=5)
            assignments.append(
                ExperimentAssignment(experiment=experiment, variant_id=choice.variant.id, user=user, exposed_at=exposed)
            )
            if rng.random() >= rates[choice.variant.key]:
                continue
            if goal == EventName.USER_SUBSCRIBED:
                subscribers.append((user, choice.variant.key))
            else:
                events.append(Event(name=goal, actor=user, occurred_at=exposed + timedelta(days=rng.uniform(0, 6))))
    ExperimentAssignment.objects.bulk_create(assignments)
    # Real subscriptions through billing, so the dashboard's Pro conversion has them too.
    paid = next((plan for plan in plan_list_public() if not plan.is_free), None)
    for user, variant in subscribers if paid is not None else []:
        interval = Interval.YEAR if variant == "annual_emphasis" and rng.random() < 0.6 else Interval.MONTH
        subscription_start(user=user, plan=paid, interval=interval)
    # Synthetic history, so it is written in bulk rather than event by event through record_event.
    user_type = ContentType.objects.get_for_model(User)
    for event in events:
        event.subject_type, event.subject_id = user_type, str(event.actor_id)
    Event.objects.bulk_create(events)
