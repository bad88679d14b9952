"""Liveness of the services the product depends on, for load balancers and on-call."""

import contextlib
import os
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from config.celery import app as celery_app


def _check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was written")
    cache.delete(key)


def _check_broker() -> None:
    options = celery_app.conf.broker_transport_options or {}
    folder = options.get("data_folder_in")
    if celery_app.conf.broker_url.startswith("filesystem://"):
        # The filesystem transport "connects" to anything; what matters is the folder.
        if not folder or not os.access(folder, os.W_OK):
            raise RuntimeError(f"broker folder {folder!r} is not writable")
        return
    timeout = settings.HEALTHZ_TIMEOUT_SECONDS
    with celery_app.connection_for_write(connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, timeout=timeout)


STORAGE_RESULT_KEY = "healthz:storage"


class CachedFailure(Exception):
    """A failure seen by an earlier probe, reported again without probing."""


def _probe_storage() -> None:
    name = default_storage.save(f"healthz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)


def _check_storage() -> None:
    # Writing a file on every probe costs a request to S3 each time, at the rate anyone on the
    # internet chooses: the outcome is kept in the cache for a short interval instead.
    try:
        outcome = cache.get(STORAGE_RESULT_KEY)
    except Exception:  # the cache check reports a dead cache; storage is still probed
        outcome = None
    if outcome is None:
        try:
            _probe_storage()
        except Exception as exc:  # a health check reports failures, it does not raise them
            outcome = _describe(exc)
        else:
            outcome = ""
        # As above: without a cache, every probe writes.
        with contextlib.suppress(Exception):
            cache.set(STORAGE_RESULT_KEY, outcome, timeout=settings.HEALTHZ_STORAGE_PROBE_SECONDS)
    if outcome:
        raise CachedFailure(outcome)


CHECKS: dict[str, Callable[[], None]] = {
    "database": _check_database,
    "cache": _check_cache,
    "broker": _check_broker,
    "storage": _check_storage,
}


def _describe(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def health_report(*, details: bool) -> tuple[bool, dict[str, dict[str, object]]]:
    """Run every check; returns whether all passed and each check's outcome.

    Without `details` each check says only ok or not: exception texts name hosts, paths and
    versions, which are for staff, not for whoever calls the public endpoint.
    """
    results: dict[str, dict[str, object]] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            check()
        except CachedFailure as exc:
            results[name] = {"ok": False, "error": str(exc)}
        except Exception as exc:  # a health check reports failures, it does not raise them
            results[name] = {"ok": False, "error": _describe(exc)}
        else:
            results[name] = {"ok": True}
        results[name]["ms"] = round((time.perf_counter() - started) * 1000, 1)
    healthy = all(r["ok"] for r in results.values())
    if not details:
        results = {name: {"ok": result["ok"]} for name, result in results.items()}
    return healthy, results
