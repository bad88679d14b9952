"""The NPS and support demo: about forty answers over six months, a few tasks and threads, loaded once."""

import pytest
from django.urls import reverse

from insights.models import CustomerSuccessTask, NpsResponse, SupportRequest
from insights.nps_demo import load
from insights.nps_selectors import nps_by_month

pytestmark = pytest.mark.django_db


def test_the_demo_spreads_answers_over_six_months_and_is_idempotent(creator, staff, staff_client):
    load(creator=creator, staff=staff)
    counts = (NpsResponse.objects.count(), CustomerSuccessTask.objects.count(), SupportRequest.objects.count())
    load(creator=creator, staff=staff)
    assert (NpsResponse.objects.count(), CustomerSuccessTask.objects.count(), SupportRequest.objects.count()) == counts
    assert counts[0] == 40 and counts[1] == 3
    assert creator.support_requests.count() == 2
    assert all(row.figure.responses for row in nps_by_month(months=6))  # every month has answers
    assert set(NpsResponse.objects.values_list("segment", flat=True)) >= {"new", "established", "veteran"}
    page = staff_client.get(reverse("admin:insights_customersuccesstask_changelist")).content.decode()
    assert 'class="overdue"' in page


def test_the_loader_runs_before_the_experiments(settings):
    loaders = settings.DEMO_LOADERS
    assert loaders.index("insights.nps_demo.load") < loaders.index("growth.demo.load_experiments")
