"""NPS in the ops console: figures by month, segment and plan, the feedback list with its filters,
the task queue with overdue tasks highlighted, and every change through the services."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from insights.models import CustomerSuccessTask, NpsResponse
from insights.nps_score import nps_category
from insights.nps_selectors import nps_by_month, nps_by_plan, nps_by_segment, nps_detractor_themes
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def answer(score: int, *, days_ago: float = 1, feedback: str = "", plan: str = "free", segment: str = "new"):
    return NpsResponse.objects.create(
        user=UserFactory(),
        score=score,
        category=nps_category(score),
        feedback=feedback,
        channel="in_app",
        plan_code=plan,
        segment=segment,
        created_at=timezone.now() - timedelta(days=days_ago),
    )


def test_nps_by_month_covers_six_calendar_months_oldest_first():
    for score in (10, 9, 3):
        answer(score, days_ago=0)
    answer(0, days_ago=400)  # long before the window
    months = nps_by_month(months=6)
    assert len(months) == 6
    assert months[-1].label == timezone.localdate().strftime("%Y-%m")
    assert [row.figure.responses for row in months[:-1]] == [0, 0, 0, 0, 0]
    assert months[-1].figure.score == pytest.approx(100 / 3)


def test_nps_by_segment_and_by_plan():
    now = timezone.now()
    answer(10, plan="pro", segment="veteran")
    answer(9, plan="pro", segment="veteran")
    answer(2, plan="free", segment="new")
    answer(8, plan="free", segment="new")
    since, until = now - timedelta(days=30), now + timedelta(seconds=1)
    assert [(row.label, row.figure.score) for row in nps_by_plan(since=since, until=until)] == [
        ("free", -50),
        ("pro", 100),
    ]
    segments = nps_by_segment(since=since, until=until)
    assert [(row.label, row.figure.responses) for row in segments] == [
        ("New (under 90 days)", 2),
        ("Veteran (over 1 year)", 2),
    ]


def test_detractor_themes_come_from_explicit_keyword_rules():
    now = timezone.now()
    answer(2, feedback="Way too expensive, and the export crashed.")
    answer(3, feedback="Export is so slow")
    answer(4, feedback="The price doubled")
    answer(6, feedback="")
    answer(10, feedback="Expensive but worth it")  # a promoter: not a detractor theme
    themes = nps_detractor_themes(since=now - timedelta(days=7), until=now + timedelta(seconds=1))
    assert themes == [("Price", 2), ("Export", 2), ("Speed", 1), ("Bugs", 1)]
    assert nps_detractor_themes(since=now - timedelta(days=7), until=now + timedelta(seconds=1), limit=1) == [
        ("Price", 2)
    ]


def test_the_response_list_shows_the_figures_with_their_margin_and_filters_feedback(staff_client):
    answer(10, feedback="Love the templates")
    answer(3, feedback="Too slow", plan="pro")
    url = reverse("admin:insights_npsresponse_changelist")
    page = staff_client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="nps-summary"' in html
    month = timezone.localdate().strftime("%Y-%m")
    figure = next(row for row in page.context["nps"]["months"] if row.label == month).figure
    assert figure.display() == f"+0 ± {round(figure.margin_of_error)}"  # 2 answers: never a bare number
    assert f"+0 ± {round(figure.margin_of_error)}" in html
    filtered = staff_client.get(url, {"category__exact": "detractor"}).content.decode()
    assert "Too slow" in filtered and "Love the templates" not in filtered
    assert "Too slow" in staff_client.get(url, {"plan_code": "pro"}).content.decode()
    assert "Love the templates" in staff_client.get(url, {"q": "templates"}).content.decode()


def test_answers_are_read_only_in_the_console(staff_client):
    response = answer(5)
    assert staff_client.get(reverse("admin:insights_npsresponse_add")).status_code == 403
    staff_client.post(reverse("admin:insights_npsresponse_change", args=[response.pk]), {"score": 10})
    response.refresh_from_db()
    assert response.score == 5


def _task(*, due_in_hours: float, assignee=None) -> CustomerSuccessTask:
    return CustomerSuccessTask.objects.create(
        response=answer(2, feedback="Crashes"),
        assignee=assignee,
        due_at=timezone.now() + timedelta(hours=due_in_hours),
    )


def test_the_task_queue_highlights_overdue_tasks_first(staff_client, staff):
    late = _task(due_in_hours=-2, assignee=staff)
    soon = _task(due_in_hours=5, assignee=staff)
    page = staff_client.get(reverse("admin:insights_customersuccesstask_changelist"))
    html = page.content.decode()
    assert [task.pk for task in page.context["cl"].result_list] == [late.pk, soon.pk]
    assert html.count('class="overdue"') == 1
    assert html.index('class="overdue"') < html.index(f"Follow-up #{soon.pk}")


def test_closing_and_reassigning_tasks_go_through_the_services(staff_client, staff):
    other_staff = UserFactory(is_staff=True)
    task = _task(due_in_hours=-1, assignee=staff)
    url = reverse("admin:insights_customersuccesstask_change", args=[task.pk])
    answer_page = staff_client.post(url, {"assignee": other_staff.pk, "note": "Calling tomorrow"})
    assert answer_page.status_code == 302
    task.refresh_from_db()
    assert (task.assignee, task.note) == (other_staff, "Calling tomorrow")
    # Only staff can hold a task: the form offers no one else.
    outsider = UserFactory()
    refused = staff_client.post(url, {"assignee": outsider.pk, "note": ""})
    assert refused.status_code == 200
    staff_client.post(
        reverse("admin:insights_customersuccesstask_changelist"), {"action": "mark_done", "_selected_action": [task.pk]}
    )
    task.refresh_from_db()
    assert task.status == "done" and task.done_at is not None
    assert not task.is_overdue
