"""/healthz reports every service the product depends on, and fails loudly when one is down."""

import pytest
from django.core.cache.backends.redis import RedisCache
from django.urls import reverse

from config.celery import app as celery_app

pytestmark = pytest.mark.django_db

# Nothing listens on port 1 of loopback: a connection there is refused at once.
DEAD_REDIS = "redis://127.0.0.1:1/0"


def test_all_services_up(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "storage"}
    assert all(check["ok"] for check in body["checks"].values())


@pytest.fixture
def dead_broker(monkeypatch):
    # Celery reads CELERY_BROKER_URL from the environment before its own configuration.
    monkeypatch.setenv("CELERY_BROKER_URL", DEAD_REDIS)
    saved = {key: celery_app.conf[key] for key in ("broker_url", "broker_transport_options")}
    celery_app.conf.update(broker_url=DEAD_REDIS, broker_transport_options={})
    yield
    celery_app.conf.update(saved)


def test_broker_down_gives_503(client, dead_broker):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_cache_down_gives_503(client, monkeypatch):
    dead_cache = RedisCache(DEAD_REDIS, {"OPTIONS": {"socket_connect_timeout": 1}})
    monkeypatch.setattr("insights.health.cache", dead_cache)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False


def test_storage_down_gives_503(client, settings, tmp_path):
    # A file where the media folder should be: no one, not even root, can write below it.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.MEDIA_ROOT = str(blocker / "media")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False
