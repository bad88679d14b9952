"""The survey prompt in a real browser: it appears on a page for someone due, answers in place, and
"Not now" takes it away for the period."""

from datetime import timedelta

import pytest
from django.utils import timezone

from insights.models import NpsResponse, NpsSurveyState
from tests.browser import browser_context_for
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_prompt_appears_for_someone_due_and_not_now_takes_it_away(browser, live_server):
    person = UserFactory(date_joined=timezone.now() - timedelta(days=45))
    tab = browser_context_for(browser, live_server, person).new_page()
    tab.goto("/videos/")
    prompt = tab.get_by_role("complementary", name="A quick question")
    prompt.wait_for()
    assert prompt.get_by_role("radio").count() == 11
    prompt.get_by_role("button", name="Not now").click()
    prompt.wait_for(state="detached")
    assert NpsSurveyState.objects.get(user=person).dismissed_at is not None
    tab.reload()
    tab.wait_for_function("!document.getElementById('nps-slot') && !document.querySelector('.htmx-request')")
    assert tab.get_by_role("complementary", name="A quick question").count() == 0
    tab.context.close()


def test_answering_in_the_prompt_comes_back_to_the_same_page(browser, live_server):
    person = UserFactory(date_joined=timezone.now() - timedelta(days=45))
    tab = browser_context_for(browser, live_server, person).new_page()
    tab.goto("/videos/")
    prompt = tab.get_by_role("complementary", name="A quick question")
    prompt.get_by_role("radio", name="9").check()
    prompt.get_by_label("What is the main reason for your score? (optional)").fill("Quick renders")
    prompt.get_by_role("button", name="Send my answer").click()
    tab.wait_for_url("**/videos/")
    assert "Thank you for your answer!" in tab.locator(".messages").inner_text()
    response = NpsResponse.objects.get(user=person)
    assert (response.score, response.feedback) == (9, "Quick renders")
    tab.context.close()
