"""config.heap: a web process keeps its long-lived objects out of full garbage collections (the tail of
single slow requests), freezing when it starts and after its first requests, then no more."""

import gc

import pytest
from django.core.signals import request_finished
from django.urls import reverse

from config import heap

pytestmark = pytest.mark.django_db


@pytest.fixture
def fresh_process(monkeypatch):
    """A process that has served no request yet, freezing after its 1st and 3rd; thawed afterwards."""
    monkeypatch.setattr(heap, "FREEZE_AFTER_REQUESTS", (1, 3))
    monkeypatch.setattr(heap, "_served", 0)
    gc.unfreeze()
    yield
    request_finished.disconnect(dispatch_uid="config.heap")
    gc.unfreeze()


def test_the_process_freezes_at_start_and_after_its_first_requests_then_no_more(fresh_process, client):
    heap.freeze_after_warm_up()
    assert gc.get_freeze_count() > 10_000  # the modules, models, URL patterns … of the test process
    # What is frozen is what a full collection no longer walks.
    assert len(gc.get_objects(generation=2)) < gc.get_freeze_count() / 10

    gc.unfreeze()
    client.get(reverse("landing"))  # the 1st request
    assert gc.get_freeze_count() > 10_000
    gc.unfreeze()
    client.get(reverse("landing"))  # the 2nd: no freeze
    assert gc.get_freeze_count() == 0
    client.get(reverse("landing"))  # the 3rd: the last freeze
    assert gc.get_freeze_count() > 10_000
    gc.unfreeze()
    client.get(reverse("landing"))  # then the process stops counting
    assert gc.get_freeze_count() == 0
