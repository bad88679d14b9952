"""Settings come from the environment only; with nothing set, the embedded default runs anywhere."""

import json
import os
import subprocess
import sys

import pytest

from tests.fresh_django import CONFIG_VARIABLES, ROOT, run_django

PROBE = """
import json, django
from django.conf import settings
django.setup()
from config.celery import app
print(json.dumps({
    "db_engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "db_host": settings.DATABASES["default"].get("HOST", ""),
    "db_options": settings.DATABASES["default"].get("OPTIONS", {}),
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": str(settings.CACHES["default"].get("LOCATION", "")),
    "broker": app.conf.broker_url,
    "storage": settings.STORAGES["default"]["BACKEND"],
    "bucket": settings.STORAGES["default"].get("OPTIONS", {}).get("bucket_name"),
    "email_backend": settings.EMAIL_BACKEND,
    "email_host": getattr(settings, "EMAIL_HOST", ""),
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "secret_key": settings.SECRET_KEY,
}))
"""

PRODUCTION_ENV = {
    "DJANGO_SECRET_KEY": "k" * 20 + "Zq8-unique-enough-production-secret-key-xY3",
    "DJANGO_ALLOWED_HOSTS": "videocreator.example",
    "SITE_URL": "https://videocreator.example",
    "DATABASE_URL": "postgres://app@db.internal:5432/videocreator",
    "CACHE_URL": "redis://redis.internal:6379/1",
    "CELERY_BROKER_URL": "redis://redis.internal:6379/0",
    "AWS_STORAGE_BUCKET_NAME": "videocreator-media",
    "BILLING_PROVIDER": "stripe",
    "STRIPE_SECRET_KEY": "sk_test_from_the_environment",
    "STRIPE_WEBHOOK_SECRET": "whsec_from_the_environment",
    "TRUSTED_PROXY_COUNT": "1",
}


def probe(settings_module: str = "config.settings.local", **env: str) -> dict:
    result = run_django(PROBE, settings_module, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_nothing_set_gives_the_embedded_default():
    config = probe()
    assert config["db_engine"] == "django.db.backends.sqlite3"
    assert config["db_name"].endswith("var/db.sqlite3")
    # Web, workers and beat share the file: WAL and waiting writers instead of "database is locked".
    assert "journal_mode=WAL" in config["db_options"]["init_command"]
    assert config["db_options"]["transaction_mode"] == "IMMEDIATE"
    assert config["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert config["broker"].startswith("filesystem://")
    assert config["storage"] == "config.storage.SignedFileSystemStorage"  # media URLs signed, as on S3
    assert config["email_backend"] == "django.core.mail.backends.filebased.EmailBackend"
    assert config["debug"] is True


def test_every_service_comes_from_the_environment():
    config = probe(
        DATABASE_URL="postgres://app:secret@db.internal:5432/videos",
        CACHE_URL="redis://cache.internal:6379/1",
        CELERY_BROKER_URL="redis://broker.internal:6379/0",
        AWS_STORAGE_BUCKET_NAME="media-bucket",
        EMAIL_URL="smtp+tls://mailer:pw@smtp.internal:587",
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="videocreator.example,www.videocreator.example",
        DJANGO_SECRET_KEY="from-the-environment",
    )
    assert config["db_engine"] == "django.db.backends.postgresql"
    assert (config["db_name"], config["db_host"]) == ("videos", "db.internal")
    assert config["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert "cache.internal" in config["cache_location"]
    assert config["broker"] == "redis://broker.internal:6379/0"
    assert (config["storage"], config["bucket"]) == ("config.storage.MediaS3Storage", "media-bucket")
    assert (config["email_backend"], config["email_host"]) == (
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.internal",
    )
    assert config["debug"] is False
    assert config["allowed_hosts"] == ["videocreator.example", "www.videocreator.example"]
    assert config["secret_key"] == "from-the-environment"


@pytest.mark.parametrize(
    "missing",
    [
        "DJANGO_SECRET_KEY",
        "SITE_URL",
        "CACHE_URL",
        "BILLING_PROVIDER",
        "AWS_STORAGE_BUCKET_NAME",
        "TRUSTED_PROXY_COUNT",
    ],
)
def test_production_refuses_to_start_without_its_essential_settings(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_django(PROBE, "config.settings.production", **env)
    assert result.returncode != 0
    assert missing in result.stderr


DEPLOY_CHECK = (
    "import django; django.setup(); from django.core.management import call_command;"
    "call_command('check', deploy=True, fail_level='WARNING')"
)


def test_production_settings_pass_the_deploy_check():
    result = run_django(DEPLOY_CHECK, "config.settings.production", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_the_deploy_check_refuses_the_manual_payment_provider():
    result = run_django(DEPLOY_CHECK, "config.settings.production", **{**PRODUCTION_ENV, "BILLING_PROVIDER": "manual"})
    assert result.returncode != 0
    assert "billing.W002" in result.stderr


WHICH_SETTINGS = (
    "import json; from django.conf import settings; print(json.dumps([settings.SETTINGS_MODULE, settings.DEBUG]))"
)


def run_without_settings_module(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in (*CONFIG_VARIABLES, "DJANGO_SETTINGS_MODULE")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60, check=False
    )


# What gunicorn loads, and what `celery -A config` workers and beat load.
@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.celery"])
def test_deployed_processes_use_the_production_settings_unless_told_otherwise(entry_point):
    result = run_without_settings_module(["-c", f"import {entry_point}; {WHICH_SETTINGS}"], **PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["config.settings.production", False]


def test_the_wsgi_application_refuses_to_start_without_the_production_environment():
    # Rather than fall back to debug mode with local media.
    result = run_without_settings_module(["-c", "import config.wsgi"])
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_manage_py_keeps_the_embedded_default_for_development():
    result = run_without_settings_module(["manage.py", "shell", "-c", WHICH_SETTINGS])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["config.settings.local", True]
