"""Incidents: open (by hand, from an alert episode, from a support request), move through the
workflow, write the timeline, escalate past-target incidents, and gate closing on a post-mortem."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.errors import DomainError
from insights.event_names import EventName
from insights.events import record_event
from insights.incident_models import (
    COMPONENT_CHOICES,
    ActionItem,
    EscalationStep,
    Incident,
    IncidentEscalation,
    IncidentUpdate,
    PostMortem,
    Severity,
)

State = Incident.State

# The workflow: from each state, where it may go next. The three working states may go back and
# forth (a cause thought identified can turn out wrong); every one of them may resolve.
WORKING = {State.INVESTIGATING, State.IDENTIFIED, State.MONITORING}
TRANSITIONS: dict[str, set[str]] = {
    State.DETECTED: {State.ACKNOWLEDGED},
    State.ACKNOWLEDGED: WORKING | {State.RESOLVED},
    State.INVESTIGATING: (WORKING - {State.INVESTIGATING}) | {State.RESOLVED},
    State.IDENTIFIED: (WORKING - {State.IDENTIFIED}) | {State.RESOLVED},
    State.MONITORING: (WORKING - {State.MONITORING}) | {State.RESOLVED},
    State.RESOLVED: {State.CLOSED},
    State.CLOSED: set(),
}
COMPONENT_KEYS = {key for key, _label in COMPONENT_CHOICES}


class InvalidTransition(DomainError):
    default_message = _("This incident cannot move to that state.")


def _severity(severity: Severity | str) -> Severity:
    if isinstance(severity, Severity):
        return severity
    try:
        return Severity.objects.get(code=severity)
    except Severity.DoesNotExist:
        raise DomainError(_("Unknown severity %(code)s.") % {"code": severity}, code="unknown_severity") from None


def _clean_components(components: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(components))
    unknown = [c for c in chosen if c not in COMPONENT_KEYS]
    if unknown:
        raise DomainError(_("Unknown component: %(names)s.") % {"names": ", ".join(unknown)}, code="component")
    return chosen


def _status_changed() -> None:
    from insights.status import status_cache_clear

    transaction.on_commit(status_cache_clear)


def _log(*, incident: Incident, kind: str, body: str, actor: Any, at: datetime) -> IncidentUpdate:
    update = IncidentUpdate.objects.create(
        incident=incident,
        kind=kind,
        state=incident.state,
        body=body,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        created_at=at,
    )
    if update.is_public:
        from insights.tasks import status_update_notify

        transaction.on_commit(lambda: status_update_notify.delay(update.pk))
    return update


@transaction.atomic
def incident_open(
    *,
    title: str,
    severity: Severity | str,
    actor: Any = None,
    source: str = Incident.Source.MANUAL,
    source_id: str | int | None = None,
    components: Sequence[str] = (),
    detected_at: datetime | None = None,
    public_message: str = "",
) -> Incident:
    """Open an incident, or return the one already opened for (`source`, `source_id`)."""
    if source not in Incident.Source.values:
        raise DomainError(_("Unknown incident source."), code="source")
    key = "" if source_id is None else str(source_id)
    if key:
        existing = Incident.objects.filter(source=source, source_id=key).first()
        if existing is not None:
            return existing
    now = detected_at or timezone.now()
    incident = Incident(
        title=title[:200],
        severity=_severity(severity),
        components=_clean_components(components),
        source=source,
        source_id=key,
        detected_at=now,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        # A savepoint: the same alert episode delivered twice at once finds the winner's row.
        with transaction.atomic():
            incident.save()
    except IntegrityError:
        if not key:
            raise
        return Incident.objects.get(source=source, source_id=key)
    _log(incident=incident, kind=IncidentUpdate.Kind.STATE, body=title, actor=actor, at=now)
    if public_message:
        _log(incident=incident, kind=IncidentUpdate.Kind.PUBLIC, body=public_message, actor=actor, at=now)
    record_event(
        name=EventName.INCIDENT_OPENED,
        actor=actor,
        subject=incident,
        payload={"severity": incident.severity.code, "source": source},
    )
    _status_changed()
    return incident


def _locked(incident: Incident) -> Incident:
    # Locked and read again in place, so the caller's object follows what the service did.
    incident.refresh_from_db(from_queryset=Incident.objects.select_for_update())
    return incident


def _move(*, incident: Incident, to_state: str, actor: Any, now: datetime) -> Incident:
    if to_state not in TRANSITIONS.get(incident.state, set()):
        raise InvalidTransition(
            _("An incident that is %(current)s cannot become %(target)s.")
            % {"current": incident.get_state_display(), "target": State(to_state).label},
            code="invalid_transition",
        )
    incident.state = to_state
    return incident


@transaction.atomic
def incident_acknowledge(
    *, incident: Incident, actor: Any, commander: Any = None, note: str = "", now: datetime | None = None
) -> Incident:
    """Acknowledge a detected incident and name its commander (the acting person when none is given)."""
    now = now or timezone.now()
    incident = _locked(incident)
    commander = commander or actor
    if not getattr(commander, "is_authenticated", False):
        raise DomainError(_("An incident needs a commander to be acknowledged."), code="commander")
    _move(incident=incident, to_state=State.ACKNOWLEDGED, actor=actor, now=now)
    incident.commander = commander
    incident.acknowledged_at = now
    incident.save(update_fields=["state", "commander", "acknowledged_at", "updated_at"])
    body = note or str(_("Commander: %(name)s") % {"name": getattr(commander, "email", "")})
    _log(incident=incident, kind=IncidentUpdate.Kind.STATE, body=body, actor=actor, at=now)
    _status_changed()
    return incident


@transaction.atomic
def incident_transition(
    *,
    incident: Incident,
    actor: Any,
    to_state: str,
    note: str = "",
    public_message: str = "",
    now: datetime | None = None,
) -> Incident:
    """Move an acknowledged incident to investigating, identified, monitoring or resolved."""
    if to_state in (State.ACKNOWLEDGED, State.CLOSED):
        # Each has its own service with its own rule (a commander; a post-mortem).
        raise InvalidTransition(code="invalid_transition")
    now = now or timezone.now()
    incident = _locked(incident)
    _move(incident=incident, to_state=to_state, actor=actor, now=now)
    fields = ["state", "updated_at"]
    if to_state == State.RESOLVED:
        incident.resolved_at = now
        fields.append("resolved_at")
    incident.save(update_fields=fields)
    _log(incident=incident, kind=IncidentUpdate.Kind.STATE, body=note, actor=actor, at=now)
    if public_message:
        _log(incident=incident, kind=IncidentUpdate.Kind.PUBLIC, body=public_message, actor=actor, at=now)
    if to_state == State.RESOLVED:
        record_event(name=EventName.INCIDENT_RESOLVED, actor=actor, subject=incident)
    _status_changed()
    return incident


@transaction.atomic
def incident_close(*, incident: Incident, actor: Any, now: datetime | None = None) -> Incident:
    """Close a resolved incident; a severity that requires a post-mortem needs it written first."""
    now = now or timezone.now()
    incident = _locked(incident)
    _move(incident=incident, to_state=State.CLOSED, actor=actor, now=now)
    if incident.severity.postmortem_required and not PostMortem.objects.filter(incident=incident).exists():
        raise DomainError(
            _("A %(severity)s incident cannot be closed before its post-mortem is written.")
            % {"severity": incident.severity.code},
            code="postmortem_required",
        )
    incident.closed_at = now
    incident.save(update_fields=["state", "closed_at", "updated_at"])
    _log(incident=incident, kind=IncidentUpdate.Kind.STATE, body="", actor=actor, at=now)
    return incident


@transaction.atomic
def incident_update_post(
    *, incident: Incident, actor: Any, body: str, public: bool, now: datetime | None = None
) -> IncidentUpdate:
    """Add an internal note or a public update (which subscribers receive) to the timeline."""
    if not body.strip():
        raise DomainError(_("An update needs some text."), code="empty", field="body")
    if incident.state == State.CLOSED and public:
        raise DomainError(_("A closed incident takes no more public updates."), code="closed")
    kind = IncidentUpdate.Kind.PUBLIC if public else IncidentUpdate.Kind.NOTE
    update = _log(incident=incident, kind=kind, body=body.strip(), actor=actor, at=now or timezone.now())
    if public:
        _status_changed()
    return update


@transaction.atomic
def incident_update(
    *, incident: Incident, actor: Any, title: str, severity: Severity | str, components: Sequence[str]
) -> Incident:
    """Change an incident's title, severity or affected components (the admin's form)."""
    incident = _locked(incident)
    incident.title = title[:200]
    incident.severity = _severity(severity)
    incident.components = _clean_components(components)
    incident.save(update_fields=["title", "severity", "components", "updated_at"])
    _status_changed()
    return incident


@transaction.atomic
def postmortem_write(
    *,
    incident: Incident,
    actor: Any,
    summary: str,
    impact: str,
    timeline: str,
    root_cause: str,
    went_well: str = "",
    action_items: Sequence[dict[str, Any]] = (),
    now: datetime | None = None,
) -> PostMortem:
    """Write (or rewrite) the blameless post-mortem of a resolved incident, with its action items.

    Each action item is `{"description": str, "owner": User, "due_on": date}`.
    """
    incident = _locked(incident)
    if incident.state not in (State.RESOLVED, State.CLOSED):
        raise DomainError(_("A post-mortem is written once the incident is resolved."), code="not_resolved")
    for name, value in (("summary", summary), ("impact", impact), ("timeline", timeline), ("root_cause", root_cause)):
        if not value.strip():
            raise DomainError(_("Every section of the post-mortem needs text."), code="empty", field=name)
    postmortem, _created = PostMortem.objects.update_or_create(
        incident=incident,
        defaults={
            "summary": summary,
            "impact": impact,
            "timeline": timeline,
            "root_cause": root_cause,
            "went_well": went_well,
            "author": actor if getattr(actor, "is_authenticated", False) else None,
            "created_at": now or timezone.now(),
        },
    )
    for item in action_items:
        action_item_add(
            postmortem=postmortem, description=item["description"], owner=item["owner"], due_on=item["due_on"]
        )
    return postmortem


@transaction.atomic
def action_item_add(*, postmortem: PostMortem, description: str, owner: Any, due_on: date) -> ActionItem:
    """Add an action item with an owner and a due date to a post-mortem."""
    if not description.strip():
        raise DomainError(_("An action item needs a description."), code="empty", field="description")
    return ActionItem.objects.create(postmortem=postmortem, description=description.strip(), owner=owner, due_on=due_on)


@transaction.atomic
def action_item_complete(*, item: ActionItem, now: datetime | None = None) -> ActionItem:
    """Mark an action item done (once)."""
    if item.done_at is None:
        item.done_at = now or timezone.now()
        item.save(update_fields=["done_at"])
    return item


def incidents_escalate(*, now: datetime | None = None) -> int:
    """Send every escalation step that is due for an open incident past a target; each step once.

    Step n is due `delay_minutes` after the clock's target passed. The (incident, step, clock) row
    is inserted before anyone is told, under a unique constraint: a second run, or a second beat
    racing this one, finds the row and sends nothing.
    """
    now = now or timezone.now()
    steps = list(EscalationStep.objects.prefetch_related("recipients"))
    if not steps:
        return 0
    sent = 0
    for incident in Incident.objects.filter(state__in=Incident.OPEN_STATES).select_related("severity"):
        for clock in incident.overdue_clocks(now=now):
            due_at = incident.response_due_at() if clock == "response" else incident.resolution_due_at()
            late_minutes = (now - due_at).total_seconds() / 60
            for step in steps:
                if step.delay_minutes <= late_minutes and _escalation_send(incident=incident, step=step, clock=clock):
                    sent += 1
    return sent


@transaction.atomic
def _escalation_send(*, incident: Incident, step: EscalationStep, clock: str) -> bool:
    from teams.notification_kinds import NotificationKind
    from teams.services.notifications import notification_send

    try:
        with transaction.atomic():
            IncidentEscalation.objects.create(incident=incident, step=step, clock=clock)
    except IntegrityError:
        return False
    target = reverse("admin:insights_incident_change", args=[incident.pk])
    for person in step.recipients.all():
        if person.is_active:
            # In the inbox and by e-mail (the one entry point), whatever the person's preference:
            # an escalation that can be switched off is not an escalation.
            notification_send(
                recipient=person,
                kind=NotificationKind.INCIDENT_ESCALATED,
                params={"incident": incident.title, "severity": incident.severity.code},
                target_url=target,
                email=True,
            )
    return True


@transaction.atomic
def severity_update(
    *, severity: Severity, name: str, response_minutes: int, resolution_minutes: int, postmortem_required: bool
) -> Severity:
    """Change a severity's targets (staff tune them in the console)."""
    if not 0 < response_minutes <= resolution_minutes:
        raise DomainError(
            _("The response target must be positive and no longer than the resolution target."), code="targets"
        )
    severity.name = name
    severity.response_minutes = response_minutes
    severity.resolution_minutes = resolution_minutes
    severity.postmortem_required = postmortem_required
    severity.save(update_fields=["name", "response_minutes", "resolution_minutes", "postmortem_required"])
    return severity


@transaction.atomic
def incident_alert_cleared(*, episode_id: int | str, resolved_at: datetime) -> IncidentUpdate | None:
    """Note on the timeline of an alert's incident that the alert cleared; people decide to resolve."""
    incident = Incident.objects.filter(source=Incident.Source.ALERT, source_id=str(episode_id)).first()
    if incident is None:
        return None
    body = _("The alert cleared at %(at)s.") % {"at": timezone.localtime(resolved_at).strftime("%Y-%m-%d %H:%M %Z")}
    return IncidentUpdate.objects.create(
        incident=incident, kind=IncidentUpdate.Kind.NOTE, state=incident.state, body=str(body), created_at=resolved_at
    )


@transaction.atomic
def incident_open_from_support_request(*, support_request: Any, actor: Any, severity: str = "P2") -> Incident:
    """Open (once) the incident a support request reports; a second call returns the same incident."""
    return incident_open(
        title=str(_("Support: %(subject)s") % {"subject": support_request.subject}),
        severity=severity,
        actor=actor,
        source=Incident.Source.SUPPORT,
        source_id=support_request.pk,
    )
