"""The metrics API: staff tokens read each metric's daily series from the snapshots; a bad `days` is a 400."""

from datetime import timedelta

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from insights.metrics.registry import METRICS
from insights.models import DailySnapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_token_client(staff):
    _instance, token = AuthToken.objects.create(user=staff)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def three_days():
    yesterday = timezone.now().date() - timedelta(days=1)
    for n, mrr in enumerate([1200, 2400, 3600]):
        DailySnapshot.objects.create(day=yesterday - timedelta(days=2 - n), family="revenue", data={"mrr": mrr})
    DailySnapshot.objects.create(day=yesterday - timedelta(days=40), family="revenue", data={"mrr": 99})
    return yesterday


def test_a_staff_token_reads_a_series_with_its_definition(staff_token_client, three_days):
    answer = staff_token_client.get("/api/v1/metrics/mrr/", {"days": 5})
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert [point["value"] for point in body["series"]] == [1200, 2400, 3600]
    assert body["series"][-1]["day"] == three_days.isoformat()
    assert (body["days"], body["missing_days"], body["end"]) == (5, 2, three_days.isoformat())
    assert body["definition"].startswith("Monthly recurring revenue")


def test_thirty_days_by_default(staff_token_client, three_days):
    body = staff_token_client.get("/api/v1/metrics/mrr/").json()
    assert body["days"] == 30 and len(body["series"]) == 3


@pytest.mark.parametrize("days", ["0", "-3", "abc", "732", "1.5"])
def test_a_bad_days_is_a_clear_400(staff_token_client, days):
    answer = staff_token_client.get("/api/v1/metrics/mrr/", {"days": days})
    assert answer.status_code == 400
    assert "days" in str(answer.json())


def test_an_unknown_metric_is_404(staff_token_client):
    assert staff_token_client.get("/api/v1/metrics/nonsense/").status_code == 404


def test_the_list_names_every_metric(staff_token_client):
    names = [row["name"] for row in staff_token_client.get("/api/v1/metrics/").json()]
    assert names == sorted(METRICS)


def test_creators_and_strangers_are_refused(creator_api, api_client):
    assert creator_api.get("/api/v1/metrics/mrr/").status_code == 403
    assert api_client.get("/api/v1/metrics/mrr/").status_code == 401


def test_it_is_rate_limited(staff_token_client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "metrics": "2/hour"},
    }
    assert staff_token_client.get("/api/v1/metrics/").status_code == 200
    assert staff_token_client.get("/api/v1/metrics/dau/").status_code == 200
    assert staff_token_client.get("/api/v1/metrics/dau/").status_code == 429


def test_the_schema_documents_the_metrics_api(client):
    import json

    schema = json.loads(client.get("/api/schema/?format=json").content)
    detail = schema["paths"]["/api/v1/metrics/{name}/"]["get"]
    assert "days" in [parameter["name"] for parameter in detail["parameters"]]
    assert "400" in detail["responses"] and "429" in detail["responses"]
