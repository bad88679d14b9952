"""The survey in the app: the prompt appears only for people due, answers and dismissals post back."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from insights.models import NpsResponse, NpsSurveyState
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_person(db):
    return UserFactory(date_joined=timezone.now() - timedelta(days=45))


def test_every_page_has_a_slot_that_loads_the_prompt_after_the_page(due_person, client_for):
    html = client_for(due_person).get(reverse("dashboard")).content.decode()
    assert 'id="nps-slot"' in html
    assert f'data-prompt-url="{reverse("nps-prompt")}?next=/dashboard/"' in html
    assert "js/nps_prompt.js" in html


def test_the_prompt_is_offered_only_to_people_due_a_survey(due_person, creator, client_for):
    prompt = client_for(due_person).get(reverse("nps-prompt"), {"next": "/videos/"})
    html = prompt.content.decode()
    assert 'aria-labelledby="nps-prompt-title"' in html
    assert html.count('type="radio"') == 11
    assert 'name="next" value="/videos/"' in html
    # The creator joined today: nothing to show.
    assert client_for(creator).get(reverse("nps-prompt")).content == b""


def test_answering_from_the_prompt_goes_back_to_the_page(due_person, client_for):
    client = client_for(due_person)
    answer = client.post(reverse("nps-answer"), {"score": "10", "feedback": "", "next": "/videos/"})
    assert answer.status_code == 302 and answer["Location"] == "/videos/"
    assert NpsResponse.objects.get(user=due_person).channel == "in_app"
    assert client.get(reverse("nps-prompt")).content == b""


def test_an_answer_without_a_score_is_refused_on_the_page(due_person, client_for):
    page = client_for(due_person).post(reverse("nps-answer"), {"feedback": "hm"})
    assert page.status_code == 200
    assert not NpsResponse.objects.exists()


def test_dismissing_with_htmx_removes_the_prompt_and_counts_as_asked(due_person, client_for):
    client = client_for(due_person)
    answer = client.post(reverse("nps-dismiss"), HTTP_HX_REQUEST="true")
    assert answer.status_code == 200 and answer.content == b""
    assert NpsSurveyState.objects.get(user=due_person).dismissed_at is not None
    assert client.get(reverse("nps-prompt")).content == b""
    # Without scripts, the form posts and comes back.
    assert client.post(reverse("nps-dismiss"), {"next": "/videos/"})["Location"] == "/videos/"


def test_a_foreign_next_url_is_ignored(due_person, client_for):
    answer = client_for(due_person).post(reverse("nps-dismiss"), {"next": "https://evil.example.com/"})
    assert answer["Location"] == reverse("dashboard")


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("nps-prompt")).status_code == 302
    assert client.post(reverse("nps-dismiss")).status_code == 302
