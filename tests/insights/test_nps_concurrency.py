"""Two detractors answering at once get two different staff members (PostgreSQL row locks), and
two e-mail runs at once e-mail a person once."""

from datetime import timedelta

import pytest
from django.db import connection  # noqa: F401 (the skipif condition below reads it)
from django.utils import timezone

from insights.models import CustomerSuccessTask, NpsSurveyState
from insights.services.nps import nps_answer, nps_survey_emails_send
from teams.models import OutboundEmail
from tests.concurrency import run_while_first_holds_the_lock
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="waiting on a row lock needs PostgreSQL"),
]


def test_two_detractors_at_once_are_assigned_to_two_different_staff_members():
    staff = [UserFactory(is_staff=True) for _ in range(2)]
    joined = timezone.now() - timedelta(days=40)
    first, second = UserFactory(date_joined=joined), UserFactory(date_joined=joined)

    results = run_while_first_holds_the_lock(
        lambda: nps_answer(user=first, score=1), lambda: nps_answer(user=second, score=3)
    )

    assert results == {"first": "ok", "second": "ok"}
    assignees = set(CustomerSuccessTask.objects.values_list("assignee", flat=True))
    assert assignees == {staff[0].pk, staff[1].pk}


def test_the_same_person_answering_twice_at_once_is_recorded_once():
    UserFactory(is_staff=True)
    person = UserFactory(date_joined=timezone.now() - timedelta(days=40))

    results = run_while_first_holds_the_lock(
        lambda: nps_answer(user=person, score=9), lambda: nps_answer(user=person, score=2)
    )

    assert results == {"first": "ok", "second": "already_answered"}
    assert person.nps_responses.count() == 1


def test_two_email_runs_at_once_email_each_person_once():
    people = [UserFactory(date_joined=timezone.now() - timedelta(days=60)) for _ in range(3)]

    results = run_while_first_holds_the_lock(nps_survey_emails_send, nps_survey_emails_send)

    assert results == {"first": "ok", "second": "ok"}
    assert OutboundEmail.objects.filter(kind="insights/email/nps_survey").count() == 3
    assert NpsSurveyState.objects.filter(user__in=people, asked_by="email").count() == 3
