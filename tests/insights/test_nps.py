"""The NPS survey: who is asked when (fixed clocks), answering and dismissing, and the follow-ups."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from config.errors import DomainError
from insights.models import CustomerSuccessTask, Event, NpsResponse, NpsSurveyState
from insights.nps_selectors import nps_is_due
from insights.services.nps import nps_answer, nps_dismiss, nps_survey_emails_send
from teams.models import Notification, OutboundEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

JOINED = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


def day(n: int, hours: int = 0) -> datetime:
    """`n` days (and hours) after the person joined."""
    return JOINED + timedelta(days=n, hours=hours)


@pytest.fixture
def person(db):
    return UserFactory(email="pat@example.com", display_name="Pat Person", date_joined=JOINED)


@pytest.fixture
def ops(db):
    return UserFactory(email="ops1@example.com", display_name="Olga Ops", is_staff=True)


# --- Frequency --------------------------------------------------------------------------------


def test_nobody_is_asked_in_their_first_thirty_days(person):
    assert not nps_is_due(user=person, now=day(29, 23))
    assert nps_is_due(user=person, now=day(30))


def test_after_answering_the_next_survey_comes_ninety_days_later(person, ops):
    nps_answer(user=person, score=9, now=day(31))
    assert not nps_is_due(user=person, now=day(31 + 89, 23))
    assert nps_is_due(user=person, now=day(31 + 90))


def test_dismissing_counts_as_asked(person):
    assert nps_dismiss(user=person, now=day(40)) is True
    assert not nps_is_due(user=person, now=day(129))
    assert nps_is_due(user=person, now=day(130))
    state = NpsSurveyState.objects.get(user=person)
    assert (state.asked_at, state.dismissed_at, state.answered_at) == (day(40), day(40), None)
    assert Event.objects.filter(name="nps.dismissed", actor=person).count() == 1
    # Dismissing again in the same period changes nothing.
    assert nps_dismiss(user=person, now=day(41)) is False
    assert NpsSurveyState.objects.get(user=person).asked_at == day(40)


def test_one_answer_per_period(person, ops):
    nps_answer(user=person, score=8, now=day(31))
    with pytest.raises(DomainError) as refused:
        nps_answer(user=person, score=10, now=day(32))
    assert refused.value.code == "already_answered"
    assert NpsResponse.objects.filter(user=person).count() == 1


def test_someone_not_yet_due_cannot_answer(person):
    with pytest.raises(DomainError) as refused:
        nps_answer(user=person, score=10, now=day(10))
    assert refused.value.code == "already_answered"
    assert not NpsResponse.objects.exists()


def test_the_email_goes_a_week_after_someone_is_due_once_per_period(person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert nps_survey_emails_send(now=day(36)) == 0  # due since day 30: the prompt still has a week
        assert nps_survey_emails_send(now=day(37)) == 1
        assert nps_survey_emails_send(now=day(37, 1)) == 0  # the period is claimed
        assert nps_survey_emails_send(now=day(37 + 96)) == 0
        assert nps_survey_emails_send(now=day(37 + 97)) == 1  # 90 days after, plus the week
    assert [m.to for m in mail.outbox] == [[person.email], [person.email]]
    assert OutboundEmail.objects.filter(kind="insights/email/nps_survey").count() == 2
    body = mail.outbox[0].body
    assert "/survey/?score=0" in body and "/survey/?score=10" in body


def test_the_email_skips_people_who_answered_or_dismissed_in_the_app(person, django_capture_on_commit_callbacks):
    other = UserFactory(date_joined=JOINED)
    nps_dismiss(user=other, now=day(31))
    nps_answer(user=person, score=7, now=day(32))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert nps_survey_emails_send(now=day(40)) == 0
    assert mail.outbox == []


def test_an_emailed_survey_can_be_answered_from_its_link(client_for, django_capture_on_commit_callbacks):
    person = UserFactory(date_joined=timezone.now() - timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        assert nps_survey_emails_send() == 1
    client = client_for(person)
    page = client.get(reverse("nps-answer"), {"score": "9"})
    assert page.status_code == 200
    assert 'value="9" id="id_score_9" required checked' in page.content.decode()
    client.post(reverse("nps-answer"), {"score": "9", "feedback": "Great templates"})
    response = NpsResponse.objects.get(user=person)
    assert (response.score, response.category, response.channel, response.feedback) == (
        9,
        "promoter",
        "email",
        "Great templates",
    )


def test_an_answer_records_plan_segment_and_an_event(person, ops):
    response = nps_answer(user=person, score=7, feedback="  fine  ", now=day(31))
    assert (response.category, response.plan_code, response.segment, response.feedback) == (
        "passive",
        "free",
        "new",
        "fine",
    )
    event = Event.objects.get(name="nps.answered")
    assert event.payload == {"score": 7, "category": "passive"}


# --- Follow-ups -------------------------------------------------------------------------------


def test_a_detractor_opens_a_task_due_within_a_day_and_staff_are_told_in_the_app(
    person, ops, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = nps_answer(user=person, score=4, feedback="Export is slow", now=day(31))
    task = CustomerSuccessTask.objects.get(response=response)
    assert (task.assignee, task.status, task.due_at) == (ops, "open", day(32))
    notification = Notification.objects.get(recipient=ops)
    assert notification.kind == "nps_detractor"
    assert notification.target_url == reverse("admin:insights_customersuccesstask_change", args=[task.pk])
    [message] = [m for m in mail.outbox if m.to == [person.email]]
    assert "Olga Ops" in message.body
    assert message.extra_headers.get("Reply-To") == ops.email


def test_detractor_tasks_go_round_robin_to_active_staff(ops):
    second = UserFactory(is_staff=True)
    UserFactory(is_staff=True, is_active=False)  # never assigned
    people = [UserFactory(date_joined=JOINED) for _ in range(3)]
    for who in people:
        nps_answer(user=who, score=2, now=day(31))
    assignees = list(CustomerSuccessTask.objects.order_by("pk").values_list("assignee", flat=True))
    assert assignees == [ops.pk, second.pk, ops.pk]


def test_without_staff_the_task_waits_unassigned(person):
    response = nps_answer(user=person, score=0, now=day(31))
    assert CustomerSuccessTask.objects.get(response=response).assignee is None


@pytest.mark.parametrize(
    ("score", "template", "in_body"),
    [
        (10, "insights/email/nps_promoter", "/referrals/"),
        (8, "insights/email/nps_passive", "Thank you for answering our survey"),
        (3, "insights/email/nps_detractor", "24 hours"),
    ],
)
def test_each_category_gets_its_own_follow_up_email(
    person, ops, score, template, in_body, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        nps_answer(user=person, score=score, now=day(31))
    [outbound] = OutboundEmail.objects.filter(to=[person.email])
    assert outbound.kind == template
    [message] = [m for m in mail.outbox if m.to == [person.email]]
    assert in_body in message.body


@pytest.mark.parametrize("language", ["en", "fr"])
def test_follow_up_emails_are_written_in_the_persons_language(
    person, ops, language, django_capture_on_commit_callbacks
):
    person.language = language
    person.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        nps_answer(user=person, score=9, now=day(31))
    [message] = [m for m in mail.outbox if m.to == [person.email]]
    [(html, _mimetype)] = message.alternatives
    assert f'<html lang="{language}"' in html


def test_who_is_due_an_email_is_one_query_whatever_the_number_of_people(django_assert_num_queries):
    from insights.nps_selectors import nps_user_ids_due_for_email

    people = [UserFactory(date_joined=JOINED) for _ in range(5)]
    UserFactory(date_joined=JOINED, is_active=False)
    nps_dismiss(user=people[0], now=day(31))
    with django_assert_num_queries(1):
        due = nps_user_ids_due_for_email(now=day(40))
    assert due == [person.pk for person in people[1:]]


def test_the_hourly_task_emails_the_survey(django_capture_on_commit_callbacks):
    from insights.tasks import nps_survey_emails_send as hourly

    UserFactory(date_joined=timezone.now() - timedelta(days=40))
    with django_capture_on_commit_callbacks(execute=True):
        assert hourly.delay().get() == 1
        assert hourly.delay().get() == 0
    assert len(mail.outbox) == 1
