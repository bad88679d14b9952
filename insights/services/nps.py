"""NPS writes: answering or dismissing the survey, e-mailing it to people who are due, and the
follow-ups an answer starts (a customer-success task for a detractor, a personal e-mail each).

A survey period is claimed by one conditional UPDATE of the person's NpsSurveyState (due: 30 days
after signing up, then 90 days after they were last asked), so the prompt, the e-mail task and two
requests at once never ask twice in one period. Detractors' tasks go round-robin to active staff;
the assignment cursor's row lock makes two assignments at once take turns.
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from billing.limits import plan_code_for
from config.errors import DomainError
from config.throttling import person_rate_count
from insights.event_names import EventName
from insights.events import record_event
from insights.nps_models import (
    CustomerSuccessTask,
    NpsAssignmentCursor,
    NpsCategory,
    NpsChannel,
    NpsResponse,
    NpsSegment,
    NpsSurveyState,
)
from insights.nps_score import nps_category
from insights.nps_selectors import EMAIL_AFTER_DUE, FIRST_ASK_AFTER, nps_state_due_q, nps_user_ids_due_for_email
from teams.models import User
from teams.notification_kinds import NotificationKind
from teams.services.emails import email_queue
from teams.services.notifications import notification_send

TASK_DUE_WITHIN = timedelta(hours=24)
FEEDBACK_MAX_CHARS = 2000


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _segment(*, user: User, now: datetime) -> str:
    tenure = now - user.date_joined
    if tenure < timedelta(days=90):
        return NpsSegment.NEW
    if tenure <= timedelta(days=365):
        return NpsSegment.ESTABLISHED
    return NpsSegment.VETERAN


def _state_locked(*, user: User) -> NpsSurveyState:
    try:
        with transaction.atomic():
            NpsSurveyState.objects.get_or_create(user=user)
    except IntegrityError:  # a parallel first ask created it
        pass
    return NpsSurveyState.objects.select_for_update().get(user=user)


def _claim(*, state: NpsSurveyState, user: User, channel: str, now: datetime) -> bool:
    """Start a new period for the person if they are due; False if this period was claimed already."""
    if user.date_joined > now - FIRST_ASK_AFTER:
        return False
    claimed = (
        NpsSurveyState.objects.filter(pk=state.pk)
        .filter(nps_state_due_q(now=now))
        .update(asked_at=now, asked_by=channel, dismissed_at=None, answered_at=None)
    )
    if claimed:
        state.asked_at, state.asked_by, state.dismissed_at, state.answered_at = now, channel, None, None
    return bool(claimed)


@transaction.atomic
def nps_answer(
    *, user: User, score: int, feedback: str = "", channel: str = NpsChannel.IN_APP, now: datetime | None = None
) -> NpsResponse:
    """Record the person's answer for this period and start its follow-up; one answer per period."""
    now = now or timezone.now()
    try:
        category = nps_category(score)
    except ValueError:
        raise DomainError(_("Choose a score from 0 to 10."), code="score_invalid", field="score") from None
    if channel not in NpsChannel.values:
        raise ValueError(f"Unknown NPS channel {channel!r}")
    person_rate_count(scope="nps", person_id=user.pk)
    state = _state_locked(user=user)
    # Not due: only an ask of this period that is still unanswered (an e-mail link) may be answered.
    claimed = _claim(state=state, user=user, channel=channel, now=now)
    if not claimed and (state.asked_at is None or state.answered_at is not None):
        raise DomainError(_("Thank you, you have already answered this survey."), code="already_answered")
    state.answered_at = now
    state.save(update_fields=["answered_at"])
    response = NpsResponse.objects.create(
        user=user,
        score=score,
        category=category,
        feedback=(feedback or "").strip()[:FEEDBACK_MAX_CHARS],
        channel=channel,
        plan_code=plan_code_for(user),
        segment=_segment(user=user, now=now),
        created_at=now,
    )
    record_event(
        name=EventName.NPS_ANSWERED, actor=user, subject=response, payload={"score": score, "category": category}
    )
    _follow_up(response=response, now=now)
    return response


@transaction.atomic
def nps_dismiss(*, user: User, now: datetime | None = None) -> bool:
    """The person closed the prompt: that counts as asked for this period. False when they were not due."""
    now = now or timezone.now()
    state = _state_locked(user=user)
    if not _claim(state=state, user=user, channel=NpsChannel.IN_APP, now=now):
        return False
    state.dismissed_at = now
    state.save(update_fields=["dismissed_at"])
    record_event(name=EventName.NPS_DISMISSED, actor=user, subject=state)
    return True


def nps_survey_emails_send(*, now: datetime | None = None, batch: int = 500) -> int:
    """E-mail the survey to people due for a week whom the prompt did not reach; each period once.

    Set-based: one query finds them, one conditional UPDATE claims them (with a token, so two runs at
    once split the people between them), then one mail each. Returns how many were e-mailed.
    """
    now = now or timezone.now()
    sent = 0
    while True:
        ids = nps_user_ids_due_for_email(now=now, limit=batch)
        if not ids:
            return sent
        with transaction.atomic():
            NpsSurveyState.objects.bulk_create([NpsSurveyState(user_id=pk) for pk in ids], ignore_conflicts=True)
            token = secrets.token_hex(16)
            due = nps_state_due_q(now=now, grace=EMAIL_AFTER_DUE)
            NpsSurveyState.objects.filter(due, user_id__in=ids).update(
                asked_at=now, asked_by=NpsChannel.EMAIL, dismissed_at=None, answered_at=None, claim_token=token
            )
            for user in User.objects.filter(nps_state__claim_token=token).order_by("pk"):
                _survey_email(user=user)
                sent += 1
        if len(ids) < batch:
            return sent


def _survey_email(*, user: User) -> None:
    answer_url = _absolute(reverse("nps-answer"))
    email_queue(
        to=user.email,
        template="insights/email/nps_survey",
        context={"user": user, "scores": [(n, f"{answer_url}?score={n}") for n in range(11)], "answer_url": answer_url},
        language=user.language,
    )


# --- Follow-ups ---------------------------------------------------------------------------------


def _follow_up(*, response: NpsResponse, now: datetime) -> None:
    user = response.user
    if response.category == NpsCategory.DETRACTOR:
        task = customer_success_task_open(response=response, now=now)
        assignee = task.assignee
        email_queue(
            to=user.email,
            template="insights/email/nps_detractor",
            context={"user": user, "assignee": assignee, "response": response},
            language=user.language,
            headers={"Reply-To": assignee.email} if assignee is not None else None,
        )
    elif response.category == NpsCategory.PROMOTER:
        email_queue(
            to=user.email,
            template="insights/email/nps_promoter",
            context={"user": user, "referral_url": _absolute(reverse("growth:referrals"))},
            language=user.language,
        )
    else:
        email_queue(
            to=user.email, template="insights/email/nps_passive", context={"user": user}, language=user.language
        )


def _cursor_locked() -> NpsAssignmentCursor:
    try:
        with transaction.atomic():
            NpsAssignmentCursor.objects.get_or_create(pk=1)
    except IntegrityError:  # a parallel first assignment created it
        pass
    return NpsAssignmentCursor.objects.select_for_update().get(pk=1)


def _next_assignee() -> User | None:
    """The active staff member after the last one assigned (by id, wrapping round); None without staff."""
    cursor = _cursor_locked()  # held until the task is saved: assignments take turns
    staff = list(User.objects.filter(is_staff=True, is_active=True).order_by("pk").values_list("pk", flat=True))
    if not staff:
        return None
    last = cursor.last_assignee_id
    chosen = next((pk for pk in staff if last is None or pk > last), staff[0])
    cursor.last_assignee_id = chosen
    cursor.save(update_fields=["last_assignee"])
    return User.objects.get(pk=chosen)


@transaction.atomic
def customer_success_task_open(*, response: NpsResponse, now: datetime | None = None) -> CustomerSuccessTask:
    """Open the follow-up of a detractor's answer, due within 24 hours, for the next staff member in turn."""
    now = now or timezone.now()
    assignee = _next_assignee()
    task = CustomerSuccessTask.objects.create(
        response=response, assignee=assignee, due_at=now + TASK_DUE_WITHIN, created_at=now
    )
    if assignee is not None:
        notification_send(
            recipient=assignee,
            kind=NotificationKind.NPS_DETRACTOR,
            params={"person": response.user.name if response.user else "—", "score": response.score},
            target_url=reverse("admin:insights_customersuccesstask_change", args=[task.pk]),
        )
    return task


@transaction.atomic
def customer_success_task_complete(*, task: CustomerSuccessTask, actor: User, note: str = "") -> CustomerSuccessTask:
    """Mark a follow-up done (staff only), optionally with a note of what was agreed."""
    if not actor.is_staff:
        raise DomainError(_("Only staff can close customer-success tasks."), code="forbidden")
    task = CustomerSuccessTask.objects.select_for_update().get(pk=task.pk)
    if task.status == CustomerSuccessTask.Status.DONE:
        return task
    task.status = CustomerSuccessTask.Status.DONE
    task.done_at = timezone.now()
    if note.strip():
        task.note = note.strip()
    task.save(update_fields=["status", "done_at", "note"])
    return task


@transaction.atomic
def customer_success_task_update(
    *, task: CustomerSuccessTask, actor: User, assignee: User | None, note: str
) -> CustomerSuccessTask:
    """Hand a follow-up to another staff member or change its note (the ops console's form)."""
    if not actor.is_staff:
        raise DomainError(_("Only staff can change customer-success tasks."), code="forbidden")
    if assignee is not None and not assignee.is_staff:
        raise DomainError(_("Tasks can only be assigned to staff."), code="assignee_invalid", field="assignee")
    task.assignee = assignee
    task.note = (note or "").strip()
    task.save(update_fields=["assignee", "note"])
    return task
