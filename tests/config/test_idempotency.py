"""`Idempotency-Key` on every POST that creates something, and the rate-limit headers of the API."""

import pytest
from django.core.cache import cache
from django.db import connection

from billing.models import Plan
from config.api_requests import _idempotency_cache_key
from insights.models import WebhookEndpoint
from teams.models import Team

pytestmark = pytest.mark.django_db

ENDPOINTS = "/api/v1/webhooks/endpoints/"
BODY = {"url": "http://127.0.0.1:9/hook", "events": ["video.created"]}


def post(api, path, body, key):
    return api.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retried_post_returns_the_first_answer_and_creates_nothing_more(creator_api):
    first = post(creator_api, ENDPOINTS, BODY, "key-1")
    again = post(creator_api, ENDPOINTS, BODY, "key-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()  # the same endpoint, the same secret shown once
    assert again["Idempotent-Replayed"] == "true"
    assert not first.has_header("Idempotent-Replayed")
    assert WebhookEndpoint.objects.count() == 1


def test_without_a_key_each_post_creates(creator_api):
    creator_api.post(ENDPOINTS, BODY, format="json")
    creator_api.post(ENDPOINTS, BODY, format="json")
    assert WebhookEndpoint.objects.count() == 2


def test_the_same_key_with_another_body_is_refused(creator_api):
    post(creator_api, ENDPOINTS, BODY, "key-2")
    other = post(creator_api, ENDPOINTS, {**BODY, "description": "changed"}, "key-2")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert WebhookEndpoint.objects.count() == 1


def test_keys_belong_to_their_caller(creator_api, outsider_api):
    mine = post(creator_api, ENDPOINTS, BODY, "shared-key")
    theirs = post(outsider_api, ENDPOINTS, BODY, "shared-key")
    assert theirs.status_code == 201 and theirs.json()["id"] != mine.json()["id"]
    assert WebhookEndpoint.objects.count() == 2


def test_a_claim_is_taken_once(creator, creator_api):
    """The claim is one atomic cache.add: of two identical requests only one proceeds."""
    first = post(creator_api, ENDPOINTS, BODY, "key-4")
    stored = cache.get(_idempotency_cache_key(creator.pk, "key-4"))
    assert stored["state"] == "done" and stored["status"] == 201
    # Same fingerprint, claim still pending (the first has not finished): 409, nothing created.
    cache.set(_idempotency_cache_key(creator.pk, "key-5"), {**stored, "state": "pending"}, timeout=60)
    busy = post(creator_api, ENDPOINTS, BODY, "key-5")
    assert busy.status_code == 409
    assert busy.json()["code"] == "idempotency_in_progress"
    assert WebhookEndpoint.objects.count() == 1 and first.status_code == 201


def test_a_refusal_is_replayed_too(creator_api):
    bad = {"url": "http://10.0.0.1/hook", "events": ["video.created"]}
    first = post(creator_api, ENDPOINTS, bad, "key-6")
    again = post(creator_api, ENDPOINTS, bad, "key-6")
    assert first.status_code == again.status_code == 400
    assert again["Idempotent-Replayed"] == "true"


def test_other_domains_posts_honour_the_key(creator_api):
    first = post(creator_api, "/api/v1/teams/", {"name": "Idem Team"}, "team-key")
    again = post(creator_api, "/api/v1/teams/", {"name": "Idem Team"}, "team-key")
    assert first.status_code == again.status_code == 201
    assert Team.objects.filter(name="Idem Team").count() == 1


def test_an_overlong_key_is_refused(creator_api):
    answer = post(creator_api, ENDPOINTS, BODY, "k" * 300)
    assert answer.status_code == 400
    assert answer.json()["code"] == "idempotency_key_invalid"


def test_answers_carry_the_plans_rate_limit_headers(creator_api):
    cache.clear()
    limit = Plan.objects.get(code="free").api_rate_per_hour
    first = creator_api.get(ENDPOINTS)
    second = creator_api.get(ENDPOINTS)
    assert first["RateLimit-Limit"] == str(limit)
    assert int(first["RateLimit-Remaining"]) == limit - 1
    assert int(second["RateLimit-Remaining"]) == limit - 2
    assert 0 < int(second["RateLimit-Reset"]) <= 3600
    assert second["RateLimit-Policy"] == f"{limit};w=3600"


def test_over_the_limit_the_answer_is_429_with_retry_after(creator_api):
    cache.clear()
    Plan.objects.filter(code="free").update(api_rate_per_hour=2)
    codes = [creator_api.get(ENDPOINTS).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    refused = creator_api.get(ENDPOINTS)
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert refused["RateLimit-Remaining"] == "0"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="parallel requests need PostgreSQL")
def test_concurrent_duplicates_create_one_endpoint(creator, api_client_for):
    import threading

    start = threading.Barrier(6)
    codes: list[int] = []

    def send() -> None:
        try:
            api = api_client_for(creator)
            start.wait(5)
            codes.append(post(api, ENDPOINTS, BODY, "race-key").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert WebhookEndpoint.objects.count() == 1
    assert set(codes) <= {201, 409} and codes.count(201) >= 1
