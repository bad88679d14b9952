"""Overlapping claim-loop ticks and duplicate deliveries publish every platform exactly once (PostgreSQL)."""

import random
import threading

import pytest
from django.db import connection
from django.db.models import Count

from tests.factories import UserFactory
from tests.videos.publishing import make_due_publications
from videos.publishing_models import Publication, PublicationTarget
from videos.services.publishing import publications_claim_due, target_publish

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_overlapping_ticks_and_redelivered_tasks_publish_each_platform_exactly_once(platforms):
    ids = make_due_publications(UserFactory(), 150, per_publication=2)
    target_ids = list(PublicationTarget.objects.values_list("pk", flat=True))
    errors: list[BaseException] = []
    claimed: list[int] = []

    def tick_repeatedly() -> None:
        try:
            for _ in range(40):
                # Small batches, so the ticks really overlap on the same due rows.
                claimed.append(publications_claim_due(limit=15)["claimed"])
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    def redeliver() -> None:
        try:
            for target_id in random.sample(target_ids, 120):
                target_publish(target_id=target_id)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick_repeatedly) for _ in range(3)] + [threading.Thread(target=redeliver)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == []
    assert sum(claimed) == len(ids)  # every publication claimed by exactly one tick
    assert set(Publication.objects.values_list("status", flat=True)) == {Publication.Status.PUBLISHED}
    published = platforms.published()
    for name, counter in published.items():
        assert set(counter.values()) <= {1}, name  # never twice
    expected = PublicationTarget.objects.values("platform").annotate(n=Count("pk"))
    assert {row["platform"]: row["n"] for row in expected} == {name: len(c) for name, c in published.items()}
