"""/healthz reports every service the product depends on, and fails loudly when one is down."""

import pytest
from django.core.cache import cache
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


@pytest.fixture
def broken_storage(settings, tmp_path):
    """Point the media folder below a plain file, where nothing can be written."""

    def breaking():
        blocker = tmp_path / "not-a-folder"
        blocker.write_text("")
        settings.MEDIA_ROOT = str(blocker / "media")
        return str(blocker)

    return breaking


def test_the_public_answer_names_components_and_ok_only_details_are_for_staff(client, staff, broken_storage):
    secret_path = broken_storage()
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["storage"] == {"ok": False}
    assert all(set(check) == {"ok"} for check in body["checks"].values())
    assert secret_path not in response.content.decode()
    assert "Error" not in response.content.decode()

    client.force_login(staff)
    storage = client.get(reverse("healthz")).json()["checks"]["storage"]
    assert storage["ok"] is False
    assert secret_path in storage["error"]
    assert "ms" in storage


def test_the_storage_probe_is_cached_for_a_short_time(client, broken_storage):
    assert client.get(reverse("healthz")).status_code == 200
    broken_storage()
    # Within the interval the last probe's outcome is reported without writing again...
    assert client.get(reverse("healthz")).json()["checks"]["storage"] == {"ok": True}
    # ...and once it has passed (the cached outcome expired), storage is probed afresh.
    cache.clear()
    assert client.get(reverse("healthz")).json()["checks"]["storage"] == {"ok": False}
