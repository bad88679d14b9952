"""Experiment writes: define, start, stop and ship; record an exposure once; link a visitor at signup;
accept a client's goal once per event id; tell staff once when a verdict is reached."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from growth.assignment import experiment_live_forget
from growth.experiments_models import Experiment, ExperimentAssignment, ExperimentGoal, ExperimentVariant
from insights.event_names import EventName
from insights.events import record_event
from teams.models import User
from teams.notification_kinds import NotificationKind
from teams.services.notifications import notification_send

if TYPE_CHECKING:
    from growth.assignment import LiveExperiment, LiveVariant


@dataclass(frozen=True)
class VariantSpec:
    key: str
    name: str
    weight: float = 1.0


EDITABLE_FIELDS = ("name", "hypothesis", "goal_event", "guardrail_events", "coverage", "minimum_detectable_effect")
SEED_FIELD = "seed"
# Changing these while the experiment runs would move people between variants or change what counts.
FROZEN_WHILE_RUNNING = ("goal_event", "coverage", "seed")


def _validated(instance: Any, exclude: list[str]) -> Any:
    # The model's own rules (ranges, known event names) answer as domain errors, like the others.
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=None if field == NON_FIELD_ERRORS else field) from exc
    return instance


@transaction.atomic
def experiment_create(
    *,
    key: str,
    name: str,
    goal_event: str,
    variants: list[VariantSpec],
    actor: User | None,
    hypothesis: str = "",
    guardrail_events: list[str] | None = None,
    coverage: float = 1.0,
    minimum_detectable_effect: float = 0.10,
) -> Experiment:
    """A draft experiment with its variants (the first is the control; the admin adds them later)."""
    if Experiment.objects.filter(key=key).exists():
        raise DomainError(_("An experiment with this key exists already."), field="key")
    experiment = _validated(
        Experiment(
            key=key,
            name=name,
            hypothesis=hypothesis,
            goal_event=goal_event,
            guardrail_events=list(guardrail_events or []),
            coverage=coverage,
            minimum_detectable_effect=minimum_detectable_effect,
        ),
        exclude=["shipped_variant"],
    )
    experiment.save()
    for position, spec in enumerate(variants):
        experiment_variant_save(
            experiment=experiment, key=spec.key, name=spec.name, weight=spec.weight, position=position
        )
    return experiment


@transaction.atomic
def experiment_update(*, experiment: Experiment, actor: User | None, **fields: Any) -> Experiment:
    """Edit an experiment's description and settings; what decides assignment is frozen once started."""
    unknown = set(fields) - {*EDITABLE_FIELDS, SEED_FIELD}
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    changed = [field for field, value in fields.items() if getattr(experiment, field) != value]
    if experiment.status != Experiment.Status.DRAFT and set(changed) & set(FROZEN_WHILE_RUNNING):
        raise DomainError(_("The goal and coverage of a started experiment cannot change; start a new one."))
    for field in changed:
        setattr(experiment, field, fields[field])
    if changed:
        _validated(experiment, exclude=["shipped_variant"]).save(update_fields=changed)
        _forget_on_commit(experiment)
    return experiment


def _editable_variants(experiment: Experiment) -> None:
    if experiment.status != Experiment.Status.DRAFT:
        raise DomainError(_("Variants can only change while the experiment is a draft."), field="variants")


@transaction.atomic
def experiment_variant_save(
    *,
    experiment: Experiment,
    key: str,
    name: str,
    weight: float,
    position: int,
    variant: ExperimentVariant | None = None,
) -> ExperimentVariant:
    """Add a variant, or change one (`variant`), while the experiment is a draft."""
    _editable_variants(experiment)
    if weight < 0:
        raise DomainError(_("A traffic weight cannot be negative."), field="weight")
    variant = variant or ExperimentVariant(experiment=experiment)
    variant.key, variant.name, variant.weight, variant.position = key, name, weight, position
    _validated(variant, exclude=[]).save()
    _forget_on_commit(experiment)
    return variant


@transaction.atomic
def experiment_variant_delete(*, variant: ExperimentVariant) -> None:
    _editable_variants(variant.experiment)
    variant.delete()
    _forget_on_commit(variant.experiment)


@transaction.atomic
def experiment_start(*, experiment: Experiment, actor: User | None) -> Experiment:
    """Start assigning people (from draft, or again after a stop)."""
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    if experiment.status not in (Experiment.Status.DRAFT, Experiment.Status.STOPPED):
        raise DomainError(_("Only a draft or stopped experiment can start."))
    variants = list(experiment.variants.all())
    if len(variants) < 2 or sum(v.weight for v in variants) <= 0:
        raise DomainError(_("An experiment needs a control, another variant and some traffic weight."))
    experiment.status = Experiment.Status.RUNNING
    experiment.started_at = experiment.started_at or timezone.now()
    experiment.ended_at = None
    experiment.save(update_fields=["status", "started_at", "ended_at"])
    _forget_on_commit(experiment)
    return experiment


@transaction.atomic
def experiment_stop(*, experiment: Experiment, actor: User | None) -> Experiment:
    """Stop a running experiment: everyone sees control again and nobody more is counted."""
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    if experiment.status != Experiment.Status.RUNNING:
        raise DomainError(_("Only a running experiment can stop."))
    experiment.status = Experiment.Status.STOPPED
    experiment.ended_at = timezone.now()
    experiment.save(update_fields=["status", "ended_at"])
    _forget_on_commit(experiment)
    return experiment


@transaction.atomic
def experiment_ship(*, experiment: Experiment, variant: ExperimentVariant, actor: User | None) -> Experiment:
    """End the experiment with `variant` for everyone, from now on."""
    experiment = Experiment.objects.select_for_update().get(pk=experiment.pk)
    if variant.experiment_id != experiment.pk:
        raise DomainError(_("This variant belongs to another experiment."))
    if experiment.status not in (Experiment.Status.RUNNING, Experiment.Status.STOPPED):
        raise DomainError(_("Only a running or stopped experiment can ship a variant."))
    experiment.status = Experiment.Status.SHIPPED
    experiment.shipped_variant = variant
    experiment.ended_at = experiment.ended_at or timezone.now()
    experiment.save(update_fields=["status", "shipped_variant", "ended_at"])
    _forget_on_commit(experiment)
    record_event(
        name=EventName.EXPERIMENT_SHIPPED,
        actor=actor,
        subject=experiment,
        payload={"experiment": experiment.key, "variant": variant.key},
    )
    return experiment


def _forget_on_commit(experiment: Experiment) -> None:
    key = experiment.key
    transaction.on_commit(lambda: experiment_live_forget(key))


@transaction.atomic
def experiment_expose(
    *,
    experiment: "Experiment | LiveExperiment",
    variant: "ExperimentVariant | LiveVariant",
    user: User | None = None,
    anonymous_id: str = "",
) -> tuple[ExperimentAssignment, bool]:
    """Record that a person (or visitor) was shown `variant`; the first exposure is the only one kept."""
    if user is None and not anonymous_id:
        raise ValueError("An exposure needs a user or an anonymous id.")
    # A visitor's row keeps its id after signup links it, so a signed-out return is not counted again.
    lookup: dict[str, Any] = {"user": user} if user is not None else {"anonymous_id": anonymous_id}
    existing = ExperimentAssignment.objects.filter(experiment_id=experiment.id, **lookup).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            assignment = ExperimentAssignment.objects.create(
                experiment_id=experiment.id, variant_id=variant.id, user=user, anonymous_id="" if user else anonymous_id
            )
    except IntegrityError:
        # A parallel request of the same person won: theirs is the exposure.
        return ExperimentAssignment.objects.get(experiment_id=experiment.id, **lookup), False
    record_event(
        name=EventName.EXPERIMENT_EXPOSED,
        actor=user,
        subject=assignment,
        payload={"experiment": experiment.key, "variant": variant.key, "anonymous": user is None},
    )
    return assignment, True


@transaction.atomic
def experiment_assignments_link(*, anonymous_id: str, user: User) -> int:
    """Give a new account the exposures it had as a visitor; an experiment counts the person once."""
    if not anonymous_id:
        return 0
    visitor_rows = ExperimentAssignment.objects.select_for_update().filter(anonymous_id=anonymous_id, user=None)
    already = set(ExperimentAssignment.objects.filter(user=user).values_list("experiment_id", flat=True))
    duplicates = visitor_rows.filter(experiment_id__in=already)
    duplicates.delete()
    # The visitor id stays on the row: it is what the variant was hashed from, and keeps it sticky.
    return visitor_rows.exclude(experiment_id__in=already).update(user=user)


@transaction.atomic
def experiment_goal_record(*, user: User, experiment: Experiment, event_id: str) -> tuple[ExperimentGoal, bool]:
    """Record a client's goal for `experiment` once per `event_id`; a repeat returns the first."""
    existing = ExperimentGoal.objects.filter(user=user, event_id=event_id).first()
    if existing is None:
        try:
            with transaction.atomic():
                goal = ExperimentGoal.objects.create(user=user, experiment=experiment, event_id=event_id)
        except IntegrityError:
            existing = ExperimentGoal.objects.get(user=user, event_id=event_id)
        else:
            goal.recorded_event = record_event(
                name=EventName.EXPERIMENT_CONVERTED,
                actor=user,
                subject=goal,
                payload={"experiment": experiment.key, "event_id": event_id},
            )
            goal.save(update_fields=["recorded_event"])
            return goal, True
    if existing.experiment_id != experiment.pk:
        raise DomainError(_("This event id was already used for another experiment."), field="event_id")
    return existing, False


@transaction.atomic
def experiment_verdicts_notify() -> int:
    """Tell staff (inbox and e-mail) about each running experiment whose sequential verdict is new."""
    from growth.analysis import Verdict, experiment_results  # analysis reads the models this module writes

    notified = 0
    running = Experiment.objects.filter(status=Experiment.Status.RUNNING, verdict_notified_at=None)
    staff = list(User.objects.filter(Q(is_staff=True) | Q(is_superuser=True), is_active=True))
    for result in experiment_results(experiments=running):
        if result.verdict not in (Verdict.WINNER, Verdict.KEEP_CONTROL):
            continue
        # Claim the notification first: a second worker finds it taken and sends nothing.
        claimed = Experiment.objects.filter(pk=result.experiment.pk, verdict_notified_at=None).update(
            verdict_notified_at=timezone.now()
        )
        if not claimed:
            continue
        winner = result.winner.variant if result.winner else result.variants[0].variant
        url = reverse("admin:growth_experiment_change", args=[result.experiment.pk])
        for person in staff:
            notification_send(
                recipient=person,
                kind=NotificationKind.EXPERIMENT_WINNER,
                params={"experiment": result.experiment.name, "variant": winner.name},
                target_url=url,
            )
        notified += 1
    return notified
